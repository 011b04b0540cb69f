package demo

import (
	"bytes"
	"fmt"
	"image/png"
	"io"
	"io/fs"
	"path"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"
)

const (
	photoWidth   = 1200
	photoHeight  = 675
	portraitSize = 400
)

// photoStyles maps a style name (the file-name prefix) to its painter.
var photoStyles = map[string]func(*canvas){
	"portrait":  paintPortrait,
	"skyline":   paintSkyline,
	"street":    paintStreet,
	"crowd":     paintCrowd,
	"landscape": paintLandscape,
	"chart":     paintChart,
	"capitol":   paintCapitol,
	"water":     paintWater,
	"stadium":   paintStadium,
	"lab":       paintLab,
	"abstract":  paintAbstract,
}

// PhotoStyles lists the supported photo styles in alphabetical order.
func PhotoStyles() []string {
	styles := make([]string, 0, len(photoStyles))
	for s := range photoStyles {
		styles = append(styles, s)
	}
	sort.Strings(styles)
	return styles
}

// photoStyle returns the style of a photo name like "photos/skyline-denver.png".
func photoStyle(name string) (string, bool) {
	base, ok := strings.CutPrefix(name, "photos/")
	if !ok || strings.Contains(base, "/") {
		return "", false
	}
	base, ok = strings.CutSuffix(base, ".png")
	if !ok {
		return "", false
	}
	style, rest, ok := strings.Cut(base, "-")
	if !ok || rest == "" {
		return "", false
	}
	if _, known := photoStyles[style]; !known {
		return "", false
	}
	return style, true
}

// Photo renders the demo photo at name ("photos/skyline-denver.png") as PNG bytes. Unknown names return an error wrapping fs.ErrNotExist.
func Photo(name string) ([]byte, error) {
	style, ok := photoStyle(name)
	if !ok {
		return nil, fmt.Errorf("demo photo %q: %w", name, fs.ErrNotExist)
	}
	w, h := photoWidth, photoHeight
	if style == "portrait" {
		w, h = portraitSize, portraitSize
	}
	c := newCanvas(name, w, h)
	photoStyles[style](c)
	var buf bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.BestSpeed}
	if err := enc.Encode(&buf, c.img); err != nil {
		return nil, fmt.Errorf("demo photo %q: %w", name, err)
	}
	return buf.Bytes(), nil
}

// Photos is a read-only fs.FS whose files are the demo photos, generated on Open (any "photos/<style>-*.png" name).
func Photos() fs.FS { return photoFS{} }

// photoFS serves generated photos. Its "photos" directory lists the photos
// the demo content refers to; any other valid name can still be opened.
type photoFS struct{}

var photoCache sync.Map // name -> []byte, only for photos the content lists

// listedPhotos returns the sorted photo names referenced by Content.
var listedPhotos = sync.OnceValue(func() []string {
	re := regexp.MustCompile(`photos/[a-z]+-[A-Za-z0-9._-]+\.png`)
	seen := map[string]bool{}
	fs.WalkDir(Content, "content", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(Content, p)
		if err != nil {
			return err
		}
		for _, m := range re.FindAllString(string(b), -1) {
			if _, ok := photoStyle(m); ok {
				seen[m] = true
			}
		}
		return nil
	})
	names := make([]string, 0, len(seen))
	for n := range seen {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
})

// photoBytes renders name, caching photos the content refers to.
func photoBytes(name string) ([]byte, error) {
	if b, ok := photoCache.Load(name); ok {
		return b.([]byte), nil
	}
	b, err := Photo(name)
	if err != nil {
		return nil, err
	}
	if _, listed := slices.BinarySearch(listedPhotos(), name); listed {
		photoCache.Store(name, b)
	}
	return b, nil
}

// Open implements fs.FS.
func (photoFS) Open(name string) (fs.File, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrInvalid}
	}
	switch name {
	case ".":
		return &photoDir{info: photoInfo{name: ".", dir: true}, entries: []fs.DirEntry{photoEntry{name: "photos", dir: true}}}, nil
	case "photos":
		var entries []fs.DirEntry
		for _, n := range listedPhotos() {
			entries = append(entries, photoEntry{name: n})
		}
		return &photoDir{info: photoInfo{name: "photos", dir: true}, entries: entries}, nil
	}
	b, err := photoBytes(name)
	if err != nil {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	}
	return &photoFile{Reader: bytes.NewReader(b), info: photoInfo{name: path.Base(name), size: int64(len(b))}}, nil
}

// photoInfo is the fs.FileInfo of a photo or directory.
type photoInfo struct {
	name string
	size int64
	dir  bool
}

func (i photoInfo) Name() string       { return i.name }
func (i photoInfo) Size() int64        { return i.size }
func (i photoInfo) ModTime() time.Time { return time.Time{} }
func (i photoInfo) IsDir() bool        { return i.dir }
func (i photoInfo) Sys() any           { return nil }
func (i photoInfo) Mode() fs.FileMode {
	if i.dir {
		return fs.ModeDir | 0o555
	}
	return 0o444
}

// photoEntry is a directory entry; name is the full path for photos.
type photoEntry struct {
	name string
	dir  bool
}

func (e photoEntry) Name() string      { return path.Base(e.name) }
func (e photoEntry) IsDir() bool       { return e.dir }
func (e photoEntry) Type() fs.FileMode { return photoInfo{dir: e.dir}.Mode().Type() }
func (e photoEntry) Info() (fs.FileInfo, error) {
	if e.dir {
		return photoInfo{name: e.Name(), dir: true}, nil
	}
	b, err := photoBytes(e.name)
	if err != nil {
		return nil, err
	}
	return photoInfo{name: e.Name(), size: int64(len(b))}, nil
}

// photoFile is an open photo.
type photoFile struct {
	*bytes.Reader
	info photoInfo
}

func (f *photoFile) Stat() (fs.FileInfo, error) { return f.info, nil }
func (f *photoFile) Close() error               { return nil }

// photoDir is an open directory.
type photoDir struct {
	info    photoInfo
	entries []fs.DirEntry
	off     int
}

func (d *photoDir) Stat() (fs.FileInfo, error) { return d.info, nil }
func (d *photoDir) Close() error               { return nil }
func (d *photoDir) Read([]byte) (int, error) {
	return 0, &fs.PathError{Op: "read", Path: d.info.name, Err: fs.ErrInvalid}
}

// ReadDir implements fs.ReadDirFile.
func (d *photoDir) ReadDir(n int) ([]fs.DirEntry, error) {
	rest := d.entries[d.off:]
	if n <= 0 {
		d.off = len(d.entries)
		return slices.Clone(rest), nil
	}
	if len(rest) == 0 {
		return nil, io.EOF
	}
	n = min(n, len(rest))
	d.off += n
	return slices.Clone(rest[:n]), nil
}
