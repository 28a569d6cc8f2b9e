package cluster

import (
	"encoding/binary"
	"io"
	"net"
	"strconv"
	"testing"
	"time"

	"coordtui/cluster/zk"
)

// FuzzFourLetterRequest feeds arbitrary first bytes to a member's client
// port: the path that tells a four-letter word from a ConnectRequest,
// applies the whitelist and reads stmk's mask. A known word must get
// exactly ZooKeeper's answer for it, and the member must keep answering.
func FuzzFourLetterRequest(f *testing.F) {
	for _, w := range []string{"ruok", "srvr", "stat", "mntr", "cons", "crst", "srst", "wchs", "wchc",
		"wchp", "dump", "conf", "envi", "isro", "dirs", "gtmk", "hash", telnetClose} {
		f.Add([]byte(w))
	}
	f.Add(binary.BigEndian.AppendUint64([]byte("stmk"), 0x1f2))
	f.Add([]byte("stmk\x00\x01"))
	f.Add([]byte("ruokextra bytes"))
	f.Add([]byte("ruo"))
	f.Add([]byte{0, 0, 0, 0})
	f.Add([]byte{0xff, 0xff, 0xff, 0xff, 1, 2})
	f.Add(frame(&zk.ConnectRequest{TimeOut: 4000, Passwd: make([]byte, 16)})[:20])

	// Half the words are whitelisted, so both answers are exercised.
	allowed := map[string]bool{"ruok": true, "srvr": true, "mntr": true, "stmk": true, "isro": true, "wchs": true, "dump": true}
	e := testEnsemble(f, 1, func(c *EnsembleConfig) {
		c.Client = &ServerConfig{FourLetterWords: []string{"ruok,mntr,stmk", "isro", "wchs", "dump"}}
	})
	addr := e.ClientAddr(1)

	f.Fuzz(func(t *testing.T, data []byte) {
		ans, closed := exchange(t, addr, data)
		word, isWord := "", false
		if len(data) >= 4 {
			word, isWord = zk.FourLetterWord([4]byte(data))
		}
		if isWord {
			if !closed {
				t.Fatalf("%q: connection left open", word)
			}
			want := ""
			switch {
			case word == telnetClose:
			case !allowed[word]:
				want = word + " is not executed because it is not in the whitelist.\n"
			case word == "stmk" && len(data) >= 12:
				want = strconv.FormatInt(int64(binary.BigEndian.Uint64(data[4:12])), 10)
			case word == "stmk":
			case word == "ruok":
				want = "imok"
			case word == "isro":
				want = "rw"
			default:
				if ans == "" || ans == notServing {
					t.Fatalf("%q answered %q", word, ans)
				}
				want = ans
			}
			if ans != want {
				t.Fatalf("%q answered %q, want %q", data, ans, want)
			}
		}
		// Whatever it was sent, the member still answers and its counts
		// stay sane.
		if got, _ := exchange(t, addr, []byte("ruok")); got != "imok" {
			t.Fatalf("after %q: ruok answered %q", data, got)
		}
		if st := e.Server(1).Stats(); st.Outstanding < 0 || st.PendingSyncs < 0 {
			t.Fatalf("after %q: %+v", data, st)
		}
	})
}

// exchange sends data, half-closes, and reads the answer. closed reports
// whether the member closed the connection. Anything but a four-letter
// word may be read as the start of a session and answered or left open;
// the short read deadline bounds that case.
func exchange(t *testing.T, addr string, data []byte) (answer string, closed bool) {
	t.Helper()
	nc, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	_ = nc.SetDeadline(time.Now().Add(2 * time.Second))
	if _, err := nc.Write(data); err != nil {
		return "", true
	}
	_ = nc.(*net.TCPConn).CloseWrite()
	b, err := io.ReadAll(nc)
	return string(b), err == nil
}
