// Package admin is a member's admin HTTP API: ZooKeeper's AdminServer
// commands in JSON, Prometheus metrics, coordtui's own status and event
// stream, and token-guarded fault control, with a Go client of it. It is
// what `coordtui server --admin HOST:PORT` and `coordtui up --admin
// HOST:PORT` serve and what `coordtui attach --admin` reads for the full
// view of a remote coordtui ensemble.
//
// The package reads the cluster only through cluster's exported, copied
// values and acts only through its public methods; cluster never imports it.
// Serving a request never holds a cluster lock beyond the call that copies
// what it needs, and an event stream never slows the bus (event.Bus drops
// for a slow client and the stream says so).
//
// New listens on 127.0.0.1 unless told otherwise (Config.Addr); NewHandler
// gives the same API as an http.Handler. Every body is JSON unless noted.
// Errors outside /commands are {"error": "..."} with a 4xx or 5xx status.
//
// # ZooKeeper's AdminServer commands
//
//	GET /commands                 the commands: [{"name","aliases","path","needs_serving"}]
//	GET /commands/{name}          one command, by name or alias
//
// As in ZooKeeper 3.8, a command always answers 200 with its primary name in
// "command" and null or a message in "error"; an unknown name gives "Unknown
// command: x", and a member that does not serve (in an election, cut off
// from a quorum, or down) gives "This ZooKeeper instance is not currently
// serving requests" for the commands ZooKeeper would refuse. The keys are
// ZooKeeper 3.8's (compared with captured answers in testdata/apache-3.8);
// keys whose values coordtui cannot know (fsync thresholds, TLS counters,
// the JVM) are left out, never invented.
//
//	name (aliases)                        keys
//	ruok                                  -
//	server_stats (srvr)                   version, read_only, server_stats{packets_sent, packets_received,
//	                                      client_response_stats{last,min,max_buffer_size}, data_dir_size,
//	                                      log_dir_size, server_state, last_processed_zxid, outstanding_requests,
//	                                      avg_latency, max_latency, min_latency, num_alive_client_connections,
//	                                      uptime}, client_response, proposal_stats (leader), node_count
//	stats (stat)                          server_stats's, plus connections (brief), secure_connections
//	connections (cons)                    connections [{remote_socket_address, interest_ops,
//	                                      outstanding_requests, packets_received, packets_sent, session_id,
//	                                      last_operation, established, session_timeout, last_cxid, last_zxid,
//	                                      last_response_time, last_latency, min_latency, avg_latency,
//	                                      max_latency}], secure_connections
//	monitor (mntr)                        mntr's keys without "zk_"; coordtui_* keys as mntr prints them
//	leader (lead)                         is_leader, leader_id (-1: none), leader_ip
//	voting_view                           current_config {"<id>": "host:port:port:participant;client"}
//	watches (wchc)                        session_id_to_watched_paths {"<session>": [path]}
//	watches_by_path (wchp)                path_to_session_ids {"<path>": [session]}
//	watch_summary (wchs)                  num_connections, num_paths, num_total_watches
//	dump                                  expiry_time_to_session_ids {"<ms>": [session]} (leader only),
//	                                      session_id_to_ephemeral_paths {"<session>": [path]}
//	configuration (conf, config)          client_port, data_dir, data_log_dir, tick_time, max_client_cnxns,
//	                                      min_session_timeout, max_session_timeout, server_id,
//	                                      client_port_listen_backlog
//	environment (env, envi)               envi's keys: zookeeper.version, host.name, os.*, user.*, go.*
//	is_read_only (isro)                   read_only
//	dirs                                  datadir_size, logdir_size
//	hash                                  digests [{zxid, digest}] (the current digest only)
//	get_trace_mask (gtmk)                 tracemask
//	connection_stat_reset (crst)          - (resets every connection's statistics)
//	stat_reset (srst)                     - (resets the server's statistics)
//
// Session ids and zxids are JSON numbers (int64), as ZooKeeper sends them.
// Latencies are milliseconds; "established" is milliseconds since the
// epoch; "last_response_time" and dump's expiry keys are milliseconds on the
// member's elapsed clock (cluster.ElapsedMillis), as ZooKeeper's are on its.
//
// # Metrics
//
//	GET /metrics                  Prometheus text format 0.0.4
//
// Gauges named as ZooKeeper's Prometheus provider names them (mntr's keys
// without "zk_": znode_count, watch_count, packets_received, avg_latency,
// ...), the summaries readlatency and updatelatency (_sum in ms, _count; no
// quantiles), and coordtui's own: coordtui_up, coordtui_server_info{version,
// server_state, peer_state}, coordtui_requests_total{op}, coordtui_raft_*,
// coordtui_watch_notifications_total, coordtui_events_published_total,
// coordtui_event_streams, coordtui_event_stream_dropped_total. A member that
// is down reports coordtui_up 0 and the event metrics only.
//
// # coordtui's own
//
//	GET /coordtui/status          StatusResponse: {"self": id, "members": [MemberStatus],
//	                              "heard": [{"id": "0x…", "timeout_ms", "last_heard", "expires"}]}
//
// Every member of the ensemble when the API is backed by one (a member that
// is down has role "down"), this member's alone otherwise. "heard" is when
// the leader last heard from each session and when it will expire it, from
// the leader's own tracker (followers pass pings on and do not know); it is
// absent when the API speaks for a follower alone.
//
//	GET /coordtui/events          server-sent events: the cluster/event bus
//
// Query: recent=N sends the last N events first (as many as the bus still
// keeps); kinds=raft_rpc,applied keeps those kinds; member=n1,n2 keeps those
// members' events; after=SEQ (or the Last-Event-ID header an EventSource
// sends when it reconnects) resumes after that sequence number. Each event
// is
//
//	id: <seq>
//	event: <kind>
//	data: <the event as JSON, one line>
//
// with the JSON exactly as the cluster/event package documents it (its "JSON
// schema" section: seq, time, kind, member and the one payload named after
// the kind). Events arrive in sequence order. When the client was too slow
// and the bus dropped events for it, or a resumed stream starts after events
// the bus no longer keeps, the gap is announced where it occurred:
//
//	event: dropped
//	data: {"dropped": <events missing here>, "after": <seq>, "before": <seq>, "total": <missing so far>}
//
// Filtering does not count as a gap. An idle stream gets a ": ping" comment
// every Config.Heartbeat.
//
// # Fault control
//
//	GET  /coordtui/faults                          {"enabled", "self", "links": {"members", "links": [{from, to, fault,
//	                                               cut, hold, delay_ns, loss, held}]}, "conns": [{id, member,
//	                                               client, remote, frozen, opened}]}
//	POST /coordtui/faults/links/cut                from, to, oneway=true for from->to only
//	POST /coordtui/faults/links/heal               from, to (both ways); none: every link
//	POST /coordtui/faults/links/set                from, to, cut, hold, delay=200ms, loss=0.3 or 30% (from->to)
//	POST /coordtui/faults/links/split              a=n1,n2 b=n3
//	POST /coordtui/faults/links/isolate            member
//	POST /coordtui/faults/links/release            from, to: one held RPC; none: every held RPC
//	POST /coordtui/faults/members/crash            member (in-process ensemble only)
//	POST /coordtui/faults/members/restart          member (in-process ensemble only)
//	POST /coordtui/faults/conns/cut                id, or member and client (all of member's if no client)
//	POST /coordtui/faults/conns/freeze             id
//	POST /coordtui/faults/conns/thaw               id
//	POST /coordtui/faults/sessions/expire          id (0x… or decimal): the ensemble expires it
//
// Members are "n2" or "2". Parameters come in the query string or an
// urlencoded body. Reading the state needs nothing; every POST is refused
// with 403 unless Config.Faults is set, and with 401 without
// "Authorization: Bearer <Config.Token>". A success is {"ok": true,
// "action": "links/cut", "detail": "n1<->n2 cut"}; a bad parameter is 400, an
// unknown member, connection or session 404, a member already in the asked
// state 409, an action this member cannot take (crash without an
// in-process ensemble) 501, and, on a member on its own, a link it does not
// touch 422. "self" names that member; it governs only its own links (a
// cut both ways, since its peers' processes do not know of it; delay, loss
// and hold on what it sends), and is absent on an API that runs the whole
// ensemble. For example:
//
//	curl -X POST -H "Authorization: Bearer $TOKEN" \
//	    'http://127.0.0.1:8080/coordtui/faults/links/cut?from=n1&to=n2'
//
// # The client
//
// Client is this API from another process, as `coordtui attach --admin`
// reads it: Status, Faults and Command (the AdminServer commands) decode the
// answers above; Fault asks for an action and returns a refusal as an
// *APIError that wraps ErrFaultsOff (403), ErrBadToken (401), ErrNotFound
// (404) or ErrUnsupported (501); Follow reads the event stream into
// cluster/event values, reconnects when it breaks and resumes with
// Last-Event-ID, so no event is delivered twice, and reports the dropped
// notices as Gap values. `coordtui up --admin HOST:PORT` serves one API for
// its whole ensemble (and `--faults` with a token opens fault control);
// `coordtui server --admin` serves its own member's, and with `--faults`
// controls that member's links and connections.
package admin
