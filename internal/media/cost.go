package media

import (
	"fmt"
	"image"
	"image/color"
)

// MaxDecodedBytes caps the memory one photo's pixels take once decoded.
// It counts bytes, not pixels: a 16-bit PNG takes twice the memory of an
// 8-bit one of the same size, and a 40-megapixel one 320 MB.
const MaxDecodedBytes = 192 << 20

// bytesPerPixel is the memory one pixel of model takes as Go's decoders
// store it. YCbCr counts as 4:4:4, the most a JPEG can need; models we
// do not know count as the widest, 8.
func bytesPerPixel(model color.Model) int64 {
	switch model {
	case color.GrayModel, color.AlphaModel:
		return 1
	case color.Gray16Model, color.Alpha16Model:
		return 2
	case color.YCbCrModel:
		return 3
	case color.RGBAModel, color.NRGBAModel, color.CMYKModel, color.NYCbCrAModel:
		return 4
	case color.RGBA64Model, color.NRGBA64Model:
		return 8
	}
	if _, ok := model.(color.Palette); ok {
		return 1
	}
	return 8
}

// photoCost returns the bytes a photo's pixels take decoded, and the most
// SavePhoto holds while it decodes, turns, re-encodes and resizes it: the
// decoded pixels; for a JPEG, the upright copy EXIF orientation may call
// for (4 bytes a pixel); the re-encoded full-size file (a PNG up to about
// its raw size, a JPEG well under a byte a pixel); and the widest variant,
// resized across then down (4 bytes a pixel each).
func photoCost(cfg image.Config, format string) (decoded, total int64) {
	w, h := int64(cfg.Width), int64(cfg.Height)
	px := w * h
	decoded = px * bytesPerPixel(cfg.ColorModel)
	total = decoded
	if format == "jpeg" {
		total += 4*px + px
	} else {
		total += decoded
	}
	for i := len(PhotoWidths) - 1; i >= 0; i-- {
		if vw := int64(PhotoWidths[i]); vw < w {
			total += 4*vw*h + 4*vw*(h*vw/w+1)
			break
		}
	}
	return decoded, total
}

// tooMuchMemory is the message for a photo whose pixels, decoded, would
// take more than MaxDecodedBytes.
func tooMuchMemory(cfg image.Config, decoded int64) string {
	deep, smaller := "", "at a smaller size"
	if bytesPerPixel(cfg.ColorModel) >= 8 || cfg.ColorModel == color.Gray16Model {
		deep, smaller = " with 16 bits a colour", "at a smaller size or with 8 bits a colour (as a JPEG, say)"
	}
	return fmt.Sprintf("The photo is %d × %d pixels%s; opening it would take %s of memory, and the limit is %s a photo. "+
		"Save it %s and upload it again.", cfg.Width, cfg.Height, deep, megabytes(decoded), megabytes(MaxDecodedBytes), smaller)
}

// megabytes writes n bytes as whole megabytes, rounded up: "320 MB".
func megabytes(n int64) string {
	return fmt.Sprintf("%d MB", (n+1<<20-1)>>20)
}
