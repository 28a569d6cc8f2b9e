package pane

// SelectWorker selects the row of the worker called name ("w2"), so the
// player can point at the worker a step talks about.
func (s *Sessions) SelectWorker(name string) {
	for i, r := range s.rows {
		if r.worker != nil && r.worker.Name == name {
			s.cursor = i
			return
		}
	}
}

// SelectSession selects the row of session id.
func (s *Sessions) SelectSession(id int64) {
	for i, r := range s.rows {
		if r.sess.ID == id {
			s.cursor = i
			return
		}
	}
}
