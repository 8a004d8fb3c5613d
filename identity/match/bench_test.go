package match

import "testing"

func BenchmarkLinkFebrl4(b *testing.B) {
	recs, _ := readFebrlFiles(b, "dataset4a.csv", "dataset4b.csv")
	b.ResetTimer()
	for b.Loop() {
		if _, err := Link(recs, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}
