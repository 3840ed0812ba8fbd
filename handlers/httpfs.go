package handlers

import (
	"io/fs"
	"net/http"
)

// httpFS serves only the public folders of the embedded files: templates and
// translations stay private.
func httpFS(fsys fs.FS) http.FileSystem {
	return http.FS(publicFS{fsys})
}

type publicFS struct{ fs.FS }

func (p publicFS) Open(name string) (fs.File, error) {
	for _, dir := range []string{"css/", "js/", "vendor/", "img/"} {
		if len(name) >= len(dir) && name[:len(dir)] == dir {
			return p.FS.Open(name)
		}
	}
	return nil, fs.ErrNotExist
}
