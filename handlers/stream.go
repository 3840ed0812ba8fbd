package handlers

import (
	"bufio"
	"compress/gzip"
	"fmt"
	"io"
	"runtime/debug"
	"strings"

	"github.com/gofiber/fiber/v2"
)

// stream sends the body write produces as it is made (write may Flush to
// send what it has so far). The writer runs after the handler has
// returned, in its own goroutine, where no middleware can catch a panic:
// here a panic or an error is logged with the request id and breaks the
// connection, so the client sees a failed download rather than a file that
// merely looks complete, and the server keeps running.
//
// Text is compressed here rather than by the compress middleware, which
// would end its gzip stream cleanly after a failure.
func (h *Handler) stream(c *fiber.Ctx, write func(w *bufio.Writer) error) error {
	// Copies: the context's strings are reused once the handler returns.
	id, method, uri := strings.Clone(requestID(c)), c.Method(), strings.Clone(c.OriginalURL())
	ct := string(c.Response().Header.ContentType())
	zip := (strings.HasPrefix(ct, "text/") || strings.HasPrefix(ct, fiber.MIMEApplicationJSON)) &&
		strings.Contains(c.Get(fiber.HeaderAcceptEncoding), "gzip")
	if zip {
		c.Set(fiber.HeaderContentEncoding, "gzip")
		c.Vary(fiber.HeaderAcceptEncoding)
	}
	pr, pw := io.Pipe()
	go func() {
		err := func() (err error) {
			defer func() {
				if r := recover(); r != nil {
					err = fmt.Errorf("panic: %v\n%s", r, debug.Stack())
				}
			}()
			var out io.Writer = pw
			var zw *gzip.Writer
			if zip {
				zw, _ = gzip.NewWriterLevel(pw, gzip.BestSpeed)
				out = flushing{zw}
			}
			bw := bufio.NewWriterSize(out, 32<<10)
			if err := write(bw); err != nil {
				return err
			}
			if err := bw.Flush(); err != nil || zw == nil {
				return err
			}
			return zw.Close()
		}()
		if err != nil {
			h.log.Error("streamed answer failed", "request_id", id, "method", method, "uri", uri, "error", err)
		}
		pw.CloseWithError(err) // nil: the end of the body
	}()
	c.Context().SetBodyStream(pr, -1)
	return nil
}

// flushing passes every write through the compressor at once, so what the
// writer flushes reaches the client.
type flushing struct{ zw *gzip.Writer }

func (f flushing) Write(p []byte) (int, error) {
	n, err := f.zw.Write(p)
	if err == nil {
		err = f.zw.Flush()
	}
	return n, err
}
