package match

import "testing"

func TestWeakIdentifiersCompareAndBlock(t *testing.T) {
	a := Record{ID: "a", WeakIDs: []string{"device_id:d2", "cookie_id:c1", "device_id:d2"}}
	b := Record{ID: "b", WeakIDs: []string{"device_id:d9", "device_id:d2"}}
	c := Record{ID: "c", WeakIDs: []string{"device_id:d9x"}}
	pa, pb, pc, none := prepare(&a), prepare(&b), prepare(&c), prepare(&Record{ID: "n"})
	for _, tc := range []struct {
		x, y *prepared
		want int8
	}{{&pa, &pb, 0}, {&pa, &pc, 1}, {&pa, &none, missing}} {
		if got := compareSets(tc.x.weak, tc.y.weak).level; got != tc.want {
			t.Errorf("%s vs %s: level %d, want %d", tc.x.id, tc.y.id, got, tc.want)
		}
	}
	if cands := Candidates([]Record{a, b, c}, Options{}); len(cands) != 1 || cands[0] != [2]int{0, 1} {
		t.Errorf("candidates %v: only the records sharing a device should meet", cands)
	}
}
