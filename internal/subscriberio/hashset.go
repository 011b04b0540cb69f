package subscriberio

// hashSet is a set of 64-bit hashes, as flat as it gets: open addressing
// with linear probing in one []uint64, at most 3/4 full, so 1,000,000
// addresses take 16 MB. Zero marks a free slot; hash 0 is stored as 1.
type hashSet struct {
	slots []uint64 // length a power of two
	n     int
}

// add adds h and reports whether it was new.
func (s *hashSet) add(h uint64) bool {
	if h == 0 {
		h = 1
	}
	if (s.n+1)*4 > len(s.slots)*3 {
		s.grow()
	}
	mask := uint64(len(s.slots) - 1)
	for i := h & mask; ; i = (i + 1) & mask {
		switch s.slots[i] {
		case 0:
			s.slots[i] = h
			s.n++
			return true
		case h:
			return false
		}
	}
}

func (s *hashSet) grow() {
	old := s.slots
	s.slots, s.n = make([]uint64, max(1024, 2*len(old))), 0
	for _, h := range old {
		if h != 0 {
			s.add(h)
		}
	}
}
