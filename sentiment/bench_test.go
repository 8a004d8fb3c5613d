package sentiment

import (
	"strings"
	"testing"
)

var benchZH = []string{
	"快递很快，但是质量很差",
	"质量很好，物流也快，好评！",
	"客服态度太差了，我要投诉",
	"尺码偏大，颜色和图片不一样，包装也破了",
}

var benchEN = []string{
	"Delivery was fast, but the quality is awful.",
	"Great product, works perfectly, highly recommend!",
	"Terrible customer service, I want a refund.",
	"The size is too small and the colour is different from the picture.",
}

func benchTexts(b *testing.B, texts []string) {
	a, err := Load()
	if err != nil {
		b.Fatal(err)
	}
	n := 0
	for _, t := range texts {
		n += len(t)
	}
	b.SetBytes(int64(n / len(texts)))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		a.Analyze(texts[i%len(texts)])
	}
}

// BenchmarkAnalyzeShortChinese: short Chinese reviews, one per op.
func BenchmarkAnalyzeShortChinese(b *testing.B) { benchTexts(b, benchZH) }

// BenchmarkAnalyzeShortEnglish: short English reviews, one per op.
func BenchmarkAnalyzeShortEnglish(b *testing.B) { benchTexts(b, benchEN) }

// BenchmarkAnalyzeParallel: mixed short texts from all CPUs.
func BenchmarkAnalyzeParallel(b *testing.B) {
	a, _ := Load()
	texts := append(append([]string{}, benchZH...), benchEN...)
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		i := 0
		for pb.Next() {
			a.Analyze(texts[i%len(texts)])
			i++
		}
	})
}

// BenchmarkAnalyzeLong: 64 KiB (MaxInputBytes) of mixed text per op.
func BenchmarkAnalyzeLong(b *testing.B) {
	a, _ := Load()
	unit := "The delivery was late and the quality is terrible. 快递很慢，质量很差，我要退货。 "
	text := strings.Repeat(unit, MaxInputBytes/len(unit)+1)
	b.SetBytes(MaxInputBytes)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		a.Analyze(text)
	}
}

// BenchmarkModelLoad: decoding the embedded model (what Load does once).
func BenchmarkModelLoad(b *testing.B) {
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, err := NewAnalyzer(); err != nil {
			b.Fatal(err)
		}
	}
}
