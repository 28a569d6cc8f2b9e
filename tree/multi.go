package tree

// multi applies its ops in order, all or nothing, under the txn's one zxid
// and time; each op sees the effects of the ops before it.
//
// Ops may be create, create2, createContainer, createTTL, delete, setData and
// check. Anything else anywhere in the list, or a create, create2 or
// createContainer whose flags are not a CreateMode, makes the whole request
// MARSHALLINGERROR with no per-op results, as ZooKeeper 3.9's
// MultiOperationRecord refuses to decode it (3.8 answered BADARGUMENTS for
// the one op).
//
// On failure nothing stays applied and every result is an error result: OK
// for the ops before the failing one, its code for it, RUNTIMEINCONSISTENCY
// after it. The returned Code is the failing op's.
func (t *Tree) multi(txn *Txn) ([]OpResult, Code) {
	ops := txn.Op.Ops
	for i := range ops {
		if ops[i].Type == OpCreateTTL && !ops[i].Flags.IsTTL() {
			// ZooKeeper's MultiOperationRecord reads a createTTL op whose
			// flags are not a TTL mode as a plain create (Op.create), so
			// its result is a create's (observed on 3.8.0).
			ops[i].Type, ops[i].TTL = OpCreate, 0
		}
		switch ops[i].Type {
		case OpCreate, OpCreate2, OpCreateContainer:
			if !ops[i].Flags.Valid() {
				return nil, ErrMarshallingError
			}
		case OpCreateTTL, OpDelete, OpSetData, OpCheck:
		default:
			return nil, ErrMarshallingError
		}
	}
	results := make([]OpResult, len(ops))
	t.recording = true
	defer func() { t.recording = false }()
	for i := range ops {
		op := &ops[i]
		r := &results[i]
		r.Type = op.Type
		r.Path = op.Path
		var c Code
		switch op.Type {
		case OpCreate, OpCreate2, OpCreateContainer, OpCreateTTL:
			r.Path, r.Stat, c = t.create(txn, op)
			if op.Type == OpCreate {
				r.Stat = Stat{} // a create result carries the path only
			} else {
				r.Type = OpCreate2 // 3.9 (ZOOKEEPER-4026); 3.8 answered create2 with a path-only result
			}
		case OpDelete:
			c = t.delete(txn, op)
		case OpSetData:
			r.Stat, c = t.setData(txn, op)
		case OpCheck:
			c = t.check(txn, op)
		}
		if c != OK {
			for j := range results {
				switch {
				case j < i:
					results[j] = OpResult{Type: OpError, Err: OK}
				case j == i:
					results[j] = OpResult{Type: OpError, Err: c}
				default:
					results[j] = OpResult{Type: OpError, Err: ErrRuntimeInconsistency}
				}
			}
			return results, c
		}
	}
	return results, OK
}
