package media

// Test hooks: the memory a photo reserves, reserving by hand, and the
// reservations waiting.
var (
	PhotoCost = photoCost
	Reserve   = (*Budget).reserve
)

// Waiting returns how many reservations wait in line.
func (b *Budget) Waiting() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return len(b.waiters)
}
