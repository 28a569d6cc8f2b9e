// Probe records testdata/zk380_transcript.txt against a real ZooKeeper
// (TestConformance380 replays the same session against the tree).
//
// Start a standalone server on a free port with a fresh dataDir and
// -Dzookeeper.extendedTypesEnabled=true (see /tmp/preamble.md), set PORT
// below, then:
//
//   CP=/etc/zookeeper/conf:/usr/share/java/zookeeper.jar:/usr/share/java/zookeeper-jute.jar:/usr/share/java/slf4j-nop.jar:/usr/share/java/slf4j-api.jar
//   java -cp "$CP" Probe.java > out.txt
//
// The server must be fresh: the transcript's zxids start at 1.
import org.apache.zookeeper.*;
import org.apache.zookeeper.data.*;
import java.util.*;
import java.util.concurrent.*;

public class Probe {
    static final int PORT = 21957;
    static Map<Long, String> sessions = new HashMap<>();
    interface Act { String run() throws Exception; }

    static void p(String label, Act a) {
        String r;
        try { r = a.run(); r = r == null ? "OK" : "OK " + r; }
        catch (KeeperException e) { r = e.code().name(); }
        catch (Exception e) { r = "EXC " + e; }
        System.out.println(label + " => " + r);
    }

    static String st(Stat s) {
        String owner = s.getEphemeralOwner() == 0 ? "0" : sessions.getOrDefault(s.getEphemeralOwner(), Long.toHexString(s.getEphemeralOwner()));
        return String.format("czxid=%x mzxid=%x pzxid=%x ver=%d cver=%d aver=%d owner=%s len=%d kids=%d",
            s.getCzxid(), s.getMzxid(), s.getPzxid(), s.getVersion(), s.getCversion(), s.getAversion(), owner, s.getDataLength(), s.getNumChildren());
    }

    static String acls(List<ACL> l) {
        StringBuilder b = new StringBuilder();
        for (ACL a : l) b.append(a.getId().getScheme()).append(":").append(a.getId().getId()).append("=").append(a.getPerms()).append(" ");
        return b.toString().trim();
    }

    static String results(List<OpResult> rs) {
        StringBuilder b = new StringBuilder("[");
        for (OpResult r : rs) {
            if (r instanceof OpResult.ErrorResult) b.append("error:").append(KeeperException.Code.get(((OpResult.ErrorResult) r).getErr()).name());
            else if (r instanceof OpResult.CreateResult) b.append("create:").append(((OpResult.CreateResult) r).getPath());
            else if (r instanceof OpResult.SetDataResult) b.append("setData:").append(st(((OpResult.SetDataResult) r).getStat()));
            else b.append(r.getClass().getSimpleName());
            b.append(" ");
        }
        return b.toString().trim() + "]";
    }

    static ZooKeeper connect(String name) throws Exception {
        CountDownLatch l = new CountDownLatch(1);
        ZooKeeper zk = new ZooKeeper("127.0.0.1:" + PORT, 30000, e -> { if (e.getState() == Watcher.Event.KeeperState.SyncConnected) l.countDown(); });
        l.await();
        sessions.put(zk.getSessionId(), name);
        return zk;
    }

    public static void main(String[] args) throws Exception {
        List<ACL> open = ZooDefs.Ids.OPEN_ACL_UNSAFE;
        ZooKeeper z1 = connect("S1");
        z1.addAuthInfo("digest", "alice:pw".getBytes());
        p("create /a", () -> z1.create("/a", "x".getBytes(), open, CreateMode.PERSISTENT));
        p("create /a again", () -> z1.create("/a", "x".getBytes(), open, CreateMode.PERSISTENT));
        p("create /a/b- seq", () -> z1.create("/a/b-", null, open, CreateMode.PERSISTENT_SEQUENTIAL));
        p("create2 /a/c eph", () -> { Stat s = new Stat(); String r = z1.create("/a/c", "cc".getBytes(), open, CreateMode.EPHEMERAL, s); return r + " " + st(s); });
        p("create /a/c/x", () -> z1.create("/a/c/x", null, open, CreateMode.PERSISTENT));
        p("setData /a v5", () -> st(z1.setData("/a", "y".getBytes(), 5)));
        p("setData /a v0", () -> st(z1.setData("/a", "y".getBytes(), 0)));
        p("delete /a any", () -> { z1.delete("/a", -1); return null; });
        p("delete /a v7", () -> { z1.delete("/a", 7); return null; });
        p("create /acl auth+read", () -> z1.create("/acl", null, Arrays.asList(new ACL(ZooDefs.Perms.ALL, new Id("auth", "")), new ACL(ZooDefs.Perms.READ, new Id("world", "anyone"))), CreateMode.PERSISTENT));
        ZooKeeper z2 = connect("S2");
        p("getACL /acl as S2", () -> acls(z2.getACL("/acl", new Stat())));
        p("getACL /acl as S1", () -> acls(z1.getACL("/acl", new Stat())));
        p("setData /acl as S2", () -> st(z2.setData("/acl", null, -1)));
        p("create /acl/x as S2", () -> z2.create("/acl/x", null, open, CreateMode.PERSISTENT));
        p("create /ipok", () -> z1.create("/ipok", null, Arrays.asList(new ACL(ZooDefs.Perms.ALL, new Id("ip", "127.0.0.0/8"))), CreateMode.PERSISTENT));
        p("create /ipno", () -> z1.create("/ipno", null, Arrays.asList(new ACL(ZooDefs.Perms.ALL, new Id("ip", "10.0.0.0/8"))), CreateMode.PERSISTENT));
        p("getData /ipok as S2", () -> st(new Stat()) == null ? null : (z2.getData("/ipok", false, null) == null ? "null" : "data"));
        p("getData /ipno as S2", () -> z2.getData("/ipno", false, null) == null ? "null" : "data");
        p("exists /ipno as S2", () -> st(z2.exists("/ipno", false)));
        p("getACL /ipno as S2", () -> acls(z2.getACL("/ipno", new Stat())));
        p("create world:foo", () -> z1.create("/bad1", null, Arrays.asList(new ACL(31, new Id("world", "foo"))), CreateMode.PERSISTENT));
        p("create digest alice", () -> z1.create("/bad2", null, Arrays.asList(new ACL(31, new Id("digest", "alice"))), CreateMode.PERSISTENT));
        p("create auth as S2", () -> z2.create("/bad3", null, ZooDefs.Ids.CREATOR_ALL_ACL, CreateMode.PERSISTENT));
        p("create dup ACL", () -> z1.create("/dup", null, Arrays.asList(new ACL(1, new Id("world", "anyone")), new ACL(1, new Id("world", "anyone"))), CreateMode.PERSISTENT));
        p("getACL /dup", () -> acls(z1.getACL("/dup", new Stat())));
        p("createTTL /ttl", () -> { Stat s = new Stat(); String r = z1.create("/ttl", null, open, CreateMode.PERSISTENT_WITH_TTL, s, 1000); return r + " " + st(s); });
        p("createTTL seq", () -> { Stat s = new Stat(); String r = z1.create("/ttl/s", null, open, CreateMode.PERSISTENT_SEQUENTIAL_WITH_TTL, s, (1L << 40) - 1); return r + " " + st(s); });
        p("createContainer /ct", () -> { Stat s = new Stat(); String r = z1.create("/ct", null, open, CreateMode.CONTAINER, s); return r + " " + st(s); });
        p("create /ct/k", () -> z1.create("/ct/k", null, open, CreateMode.PERSISTENT));
        p("delete /ct/k", () -> { z1.delete("/ct/k", -1); return null; });
        p("stat /ct", () -> st(z1.exists("/ct", false)));
        p("multi ok", () -> results(z1.multi(Arrays.asList(Op.create("/m", null, open, CreateMode.PERSISTENT), Op.setData("/m", "1".getBytes(), 0), Op.delete("/m", 1)))));
        p("multi fail", () -> { try { z1.multi(Arrays.asList(Op.create("/m2", null, open, CreateMode.PERSISTENT), Op.delete("/nope", -1), Op.setData("/a", null, -1))); return "no"; } catch (KeeperException e) { return e.code().name() + " " + results(e.getResults()); } });
        p("multi check", () -> { try { return results(z1.multi(Arrays.asList(Op.check("/a", 1), Op.check("/a", -1), Op.create("/a/seq-", null, open, CreateMode.PERSISTENT_SEQUENTIAL)))); } catch (KeeperException e) { return e.code().name() + " " + results(e.getResults()); } });
        p("multi check bad", () -> { try { return results(z1.multi(Arrays.asList(Op.check("/a", 0), Op.check("/zz", -1)))); } catch (KeeperException e) { return e.code().name() + " " + results(e.getResults()); } });
        p("multi NOAUTH", () -> { try { return results(z2.multi(Arrays.asList(Op.setData("/ipok", null, -1), Op.setData("/acl", null, -1)))); } catch (KeeperException e) { return e.code().name() + " " + results(e.getResults()); } });
        p("children /a", () -> { List<String> c = z1.getChildren("/a", false); Collections.sort(c); return c.toString(); });
        p("allChildren /", () -> "" + z1.getAllChildrenNumber("/"));
        p("allChildren /a", () -> "" + z1.getAllChildrenNumber("/a"));
        p("allChildren /ipno as S2", () -> "" + z2.getAllChildrenNumber("/ipno"));
        p("ephemerals S1 /a", () -> z1.getEphemerals("/a").toString());
        p("ephemerals S1 /", () -> z1.getEphemerals("/").toString());
        p("create /a/e2 eph", () -> z1.create("/a/e2", null, open, CreateMode.EPHEMERAL_SEQUENTIAL));
        p("setACL /a v0", () -> st(z1.setACL("/a", open, 0)));
        p("setACL /a v0 again", () -> st(z1.setACL("/a", open, 0)));
        p("setACL /a empty", () -> st(z1.setACL("/a", new ArrayList<>(), -1)));
        p("stat /a", () -> st(z1.exists("/a", false)));
        p("close S1", () -> { z1.close(); return null; });
        p("stat /a after close", () -> st(z2.exists("/a", false)));
        p("children /a after close", () -> { List<String> c = z2.getChildren("/a", false); Collections.sort(c); return c.toString(); });
        p("delete /a/b-0000000000", () -> { z2.delete("/a/b-0000000000", -1); return null; });
        p("create /a/b- seq", () -> z2.create("/a/b-", null, open, CreateMode.PERSISTENT_SEQUENTIAL));
        p("stat /a end", () -> st(z2.exists("/a", false)));
        p("stat /", () -> st(z2.exists("/", false)));
        p("stat /zookeeper", () -> st(z2.exists("/zookeeper", false)));
        p("stat /zookeeper/config", () -> st(z2.exists("/zookeeper/config", false)));
        p("getData /zookeeper/config", () -> { byte[] d = z2.getData("/zookeeper/config", false, null); return d == null ? "null" : "len " + d.length; });
        p("getData /a/b-0000000002", () -> { byte[] d = z2.getData("/a/b-0000000002", false, null); return d == null ? "null" : "len " + d.length; });
        p("delete /zookeeper", () -> { z2.delete("/zookeeper", -1); return null; });
        p("setData /zookeeper/config", () -> st(z2.setData("/zookeeper/config", null, -1)));
        z2.close();
    }
}
