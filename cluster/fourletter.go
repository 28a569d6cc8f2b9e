package cluster

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
)

// Four-letter words (ZK-PROTOCOL.md §5): a connection whose first four
// bytes spell one gets a plain-text answer in ZooKeeper 3.8's exact format
// and is closed. Words outside ServerConfig.FourLetterWords are refused
// with ZooKeeper's sentence; srvr is always allowed, as in ZooKeeper.

// telnetClose is telnet's interrupt-process sequence (IAC IP IAC DO),
// which ZooKeeper answers by closing the connection.
const telnetClose = "\xff\xf4\xff\xfd"

// notServing is ZooKeeper's answer from a server that is not serving:
// coordtui's member in an election or cut off from a quorum.
const notServing = "This ZooKeeper instance is not currently serving requests\n"

// fourLetterTimeout bounds how long a four-letter word may take to read
// its argument (stmk's mask) and to write its answer.
const fourLetterTimeout = 5 * time.Second

// ErrUnknownWord is returned by FourLetter for a word ZooKeeper does not
// know.
var ErrUnknownWord = errors.New("cluster: unknown four-letter word")

// fourLetter answers word on connection c, whose reader r holds whatever
// followed the word, and returns; the caller closes the connection.
func (s *Server) fourLetter(c *conn, r *bufio.Reader, word string) {
	_ = c.nc.SetDeadline(time.Now().Add(fourLetterTimeout))
	if word == telnetClose {
		return
	}
	if !s.allowed(word) {
		_, _ = fmt.Fprintf(c.nc, "%s is not executed because it is not in the whitelist.\n", word)
		return
	}
	var answer string
	if word == "stmk" {
		var mask [8]byte
		if _, err := io.ReadFull(r, mask[:]); err != nil {
			return // ZooKeeper closes a stmk without its mask, too
		}
		answer = s.setTraceMask(int64(binary.BigEndian.Uint64(mask[:])))
	} else {
		answer, _ = s.FourLetter(word)
	}
	_, _ = io.WriteString(c.nc, answer)
}

// FourLetter answers a four-letter word as this member's client port would
// (the whitelist aside, which guards the port, not the caller): ruok, srvr,
// stat, mntr, cons, crst, srst, wchs, wchc, wchp, dump, conf, envi, isro,
// dirs, gtmk, hash. stmk needs its mask and is refused here. Words that
// reset statistics reset them.
func (s *Server) FourLetter(word string) (string, error) {
	switch word {
	case "ruok":
		return "imok", nil
	case "envi":
		return s.envi(), nil
	case "gtmk":
		return itoa(s.stats.traceMask.Load()), nil
	case "stmk":
		return "", errors.New("cluster: stmk takes its mask on the client port")
	case "isro":
		if _, serving := s.Mode(); !serving {
			return "null", nil
		}
		return "rw", nil
	}
	answer, ok := servingWords[word]
	if !ok {
		return "", fmt.Errorf("%w %q", ErrUnknownWord, word)
	}
	if _, serving := s.Mode(); !serving {
		return notServing, nil
	}
	return answer(s), nil
}

// servingWords are the words that need a serving member.
var servingWords = map[string]func(*Server) string{
	"srvr": func(s *Server) string { return s.srvr(false) },
	"stat": func(s *Server) string { return s.srvr(true) },
	"cons": (*Server).cons,
	"crst": func(s *Server) string { s.ResetConnectionStats(); return "Connection stats reset.\n" },
	"srst": func(s *Server) string { s.ResetStats(); return "Server stats reset.\n" },
	"wchs": (*Server).wchs,
	"wchc": (*Server).wchc,
	"wchp": (*Server).wchp,
	"dump": (*Server).dump,
	"conf": (*Server).conf,
	"mntr": (*Server).mntr,
	"dirs": (*Server).dirs,
	"hash": (*Server).hash,
}

func (s *Server) setTraceMask(mask int64) string {
	s.stats.traceMask.Store(mask)
	return itoa(mask)
}

// allowed applies the whitelist. Entries may also be comma-separated lists,
// as ZooKeeper's 4lw.commands.whitelist is; "*" allows every word.
func (s *Server) allowed(word string) bool {
	if word == "srvr" {
		return true
	}
	for _, entry := range s.cfg.FourLetterWords {
		for _, w := range strings.Split(entry, ",") {
			if w = strings.TrimSpace(w); w == "*" || w == word {
				return true
			}
		}
	}
	return false
}
