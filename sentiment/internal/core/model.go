package core

import (
	"bufio"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"sort"
	"strings"
	"unicode"
)

// Linear is a logistic-regression model over sparse hashed features and the
// dense lexicon features.
type Linear struct {
	Bias  float32
	Dense [NDense]float32
	W     map[uint64]float32
}

// Margin returns the log-odds of positive sentiment and the evidence (sum of
// absolute feature contributions, bias excluded).
func (m *Linear) Margin(v *Vector) (margin, evidence float64) {
	s := float64(m.Bias)
	for i, d := range v.Dense {
		x := float64(m.Dense[i] * d)
		s += x
		evidence += math.Abs(x)
	}
	for _, f := range v.Sparse {
		if w, ok := m.W[f.Key]; ok {
			x := float64(w * f.Val)
			s += x
			evidence += math.Abs(x)
		}
	}
	return s, evidence
}

// Model is everything the runtime needs.
type Model struct {
	EN, ZH *Linear
	EnLex  map[string]float32
	Seg    *Segmenter
	// T2S folds traditional Chinese characters to simplified ones.
	T2S  map[rune]rune
	Meta []byte // JSON written by the trainer
}

// Fold maps traditional Chinese characters in s to simplified ones.
func (m *Model) Fold(s string) string {
	if len(m.T2S) == 0 {
		return s
	}
	return FoldT2S(s, m.T2S)
}

// FoldT2S maps runes of s through t; it returns s itself if nothing changes.
func FoldT2S(s string, t map[rune]rune) string {
	i := 0
	for j, r := range s {
		if r >= 0x3400 {
			if _, ok := t[r]; ok {
				i = j
				goto fold
			}
		}
	}
	return s
fold:
	var b strings.Builder
	b.Grow(len(s))
	b.WriteString(s[:i])
	for _, r := range s[i:] {
		if r >= 0x3400 {
			if to, ok := t[r]; ok {
				r = to
			}
		}
		b.WriteRune(r)
	}
	return b.String()
}

const magic = "CDPSENT2"

// Sanity limits for decoding.
const (
	maxEntries = 1 << 22
	maxString  = 1 << 20
)

type encoder struct {
	w   *bufio.Writer
	buf [binary.MaxVarintLen64]byte
}

func (e *encoder) uvarint(x uint64) {
	n := binary.PutUvarint(e.buf[:], x)
	e.w.Write(e.buf[:n])
}

func (e *encoder) f32(x float32) {
	binary.LittleEndian.PutUint32(e.buf[:4], math.Float32bits(x))
	e.w.Write(e.buf[:4])
}

func (e *encoder) bytes(b []byte) {
	e.uvarint(uint64(len(b)))
	e.w.Write(b)
}

func (e *encoder) linear(m *Linear) {
	e.f32(m.Bias)
	for _, d := range m.Dense {
		e.f32(d)
	}
	keys := make([]uint64, 0, len(m.W))
	var maxAbs float64
	for k, w := range m.W {
		keys = append(keys, k)
		if a := math.Abs(float64(w)); a > maxAbs {
			maxAbs = a
		}
	}
	sort.Slice(keys, func(a, b int) bool { return keys[a] < keys[b] })
	scale := float32(maxAbs / 32767)
	if scale == 0 {
		scale = 1
	}
	// drop weights that quantise to zero
	kept := keys[:0]
	for _, k := range keys {
		if int16(math.Round(float64(m.W[k]/scale))) != 0 {
			kept = append(kept, k)
		}
	}
	e.uvarint(uint64(len(kept)))
	e.f32(scale)
	var prev uint64
	for _, k := range kept {
		e.uvarint(k - prev)
		prev = k
		q := int16(math.Round(float64(m.W[k] / scale)))
		binary.LittleEndian.PutUint16(e.buf[:2], uint16(q))
		e.w.Write(e.buf[:2])
	}
}

// Encode writes the model in its compressed binary format.
func (m *Model) Encode(w io.Writer) error {
	zw, err := gzip.NewWriterLevel(w, gzip.BestCompression)
	if err != nil {
		return err
	}
	e := &encoder{w: bufio.NewWriter(zw)}
	e.w.WriteString(magic)
	e.bytes(m.Meta)
	lex := make([]string, 0, len(m.EnLex))
	for k := range m.EnLex {
		lex = append(lex, k)
	}
	sort.Strings(lex)
	e.uvarint(uint64(len(lex)))
	for _, k := range lex {
		e.bytes([]byte(k))
		e.f32(m.EnLex[k])
	}
	words, freqs := m.Seg.Words()
	e.uvarint(uint64(len(words)))
	for i, wd := range words {
		e.bytes([]byte(wd))
		e.uvarint(uint64(freqs[i]))
	}
	t2s := make([]rune, 0, len(m.T2S))
	for r := range m.T2S {
		t2s = append(t2s, r)
	}
	sort.Slice(t2s, func(a, b int) bool { return t2s[a] < t2s[b] })
	e.uvarint(uint64(len(t2s)))
	for _, r := range t2s {
		e.uvarint(uint64(r))
		e.uvarint(uint64(m.T2S[r]))
	}
	e.linear(m.EN)
	e.linear(m.ZH)
	if err := e.w.Flush(); err != nil {
		return err
	}
	return zw.Close()
}

type decoder struct {
	r   *bufio.Reader
	err error
}

func (d *decoder) uvarint() uint64 {
	if d.err != nil {
		return 0
	}
	x, err := binary.ReadUvarint(d.r)
	if err != nil {
		d.err = err
	}
	return x
}

func (d *decoder) count() int {
	n := d.uvarint()
	if n > maxEntries {
		d.fail("count %d too large", n)
		return 0
	}
	return int(n)
}

func (d *decoder) fail(format string, args ...any) {
	if d.err == nil {
		d.err = fmt.Errorf(format, args...)
	}
}

func (d *decoder) f32() float32 {
	if d.err != nil {
		return 0
	}
	var b [4]byte
	if _, err := io.ReadFull(d.r, b[:]); err != nil {
		d.err = err
		return 0
	}
	return math.Float32frombits(binary.LittleEndian.Uint32(b[:]))
}

func (d *decoder) str() string {
	n := d.uvarint()
	if d.err != nil {
		return ""
	}
	if n > maxString {
		d.fail("string length %d too large", n)
		return ""
	}
	b := make([]byte, n)
	if _, err := io.ReadFull(d.r, b); err != nil {
		d.err = err
		return ""
	}
	return string(b)
}

func (d *decoder) linear() *Linear {
	m := &Linear{Bias: d.f32()}
	for i := range m.Dense {
		m.Dense[i] = d.f32()
	}
	n := d.count()
	scale := d.f32()
	if d.err != nil {
		return m
	}
	m.W = make(map[uint64]float32, n)
	var key uint64
	var b [2]byte
	for i := 0; i < n; i++ {
		key += d.uvarint()
		if d.err != nil {
			return m
		}
		if _, err := io.ReadFull(d.r, b[:]); err != nil {
			d.err = err
			return m
		}
		m.W[key] = float32(int16(binary.LittleEndian.Uint16(b[:]))) * scale
	}
	return m
}

// Decode reads a model written by Encode.
func Decode(r io.Reader) (*Model, error) {
	zr, err := gzip.NewReader(r)
	if err != nil {
		return nil, fmt.Errorf("sentiment model: %w", err)
	}
	defer zr.Close()
	d := &decoder{r: bufio.NewReaderSize(zr, 1<<16)}
	var mg [len(magic)]byte
	if _, err := io.ReadFull(d.r, mg[:]); err != nil || string(mg[:]) != magic {
		return nil, errors.New("sentiment model: bad magic")
	}
	m := &Model{}
	m.Meta = []byte(d.str())
	n := d.count()
	m.EnLex = make(map[string]float32, n)
	for i := 0; i < n && d.err == nil; i++ {
		k := d.str()
		m.EnLex[k] = d.f32()
	}
	n = d.count()
	words := make([]string, 0, n)
	freqs := make([]uint32, 0, n)
	for i := 0; i < n && d.err == nil; i++ {
		words = append(words, d.str())
		f := d.uvarint()
		if f > math.MaxUint32 {
			d.fail("frequency overflow")
		}
		freqs = append(freqs, uint32(f))
	}
	n = d.count()
	m.T2S = make(map[rune]rune, n)
	for i := 0; i < n && d.err == nil; i++ {
		from, to := d.uvarint(), d.uvarint()
		if from > unicode.MaxRune || to > unicode.MaxRune {
			d.fail("bad rune in T2S table")
		}
		m.T2S[rune(from)] = rune(to)
	}
	m.EN = d.linear()
	m.ZH = d.linear()
	if d.err != nil {
		return nil, fmt.Errorf("sentiment model: %w", d.err)
	}
	m.Seg = NewSegmenter(words, freqs)
	return m, nil
}
