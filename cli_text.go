package main

import (
	"errors"
	"flag"

	"tiendo/locale"
	"tiendo/static"
)

// voice is the command line's language: its messages are sentences of the
// catalog the pages use, in -lang (Vietnamese unless asked otherwise).
type voice struct {
	cat  locale.Catalog
	lang string
}

// langFlag adds -lang to a command.
func langFlag(fs *flag.FlagSet) *string {
	return fs.String("lang", "vi", "language of messages: vi or en")
}

// parseCommand adds -lang to a command's flags, reads args and gives the
// voice of its messages.
func parseCommand(fs *flag.FlagSet, args []string) (voice, error) {
	lang := langFlag(fs)
	if err := parseFlags(fs, args); err != nil {
		return voice{}, err
	}
	return newVoice(*lang)
}

func newVoice(lang string) (voice, error) {
	cat, err := locale.Load(static.FS)
	if err != nil {
		return voice{}, err
	}
	return voice{cat: cat, lang: locale.Normalize(lang)}, nil
}

// T is the message of key in the command's language.
func (v voice) T(key string, args ...any) string { return v.cat.T(v.lang, key, args...) }

// Err is that message as an error.
func (v voice) Err(key string, args ...any) error { return errors.New(v.T(key, args...)) }

// Wrap is the message of key as an error that still is err (errors.Is).
func (v voice) Wrap(err error, key string, args ...any) error {
	return saidError{msg: v.T(key, args...), err: err}
}

type saidError struct {
	msg string
	err error
}

func (e saidError) Error() string { return e.msg }
func (e saidError) Unwrap() error { return e.err }
