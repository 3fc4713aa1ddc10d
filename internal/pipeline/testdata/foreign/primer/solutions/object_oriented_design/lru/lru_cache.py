class LRU: pass
