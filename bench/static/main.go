// Command static serves the files of a folder with Fiber, nothing else: the
// yardstick the benchmarks compare the app's pages with ("the same bytes as
// a static file").
package main

import (
	"flag"
	"log"

	"github.com/gofiber/fiber/v2"
)

func main() {
	dir := flag.String("dir", ".", "folder to serve")
	addr := flag.String("addr", "127.0.0.1:18081", "address to listen on")
	flag.Parse()
	app := fiber.New(fiber.Config{DisableStartupMessage: true})
	app.Static("/", *dir)
	log.Fatal(app.Listen(*addr))
}
