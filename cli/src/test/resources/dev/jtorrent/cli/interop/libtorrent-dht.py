# A small private DHT of libtorrent 2.0 sessions on loopback, for a DHT node under test to join:
#   libtorrent-dht.py FIRST_SUBNET COUNT PORT ANNOUNCE_HASH SEARCH_HASH TIMEOUT [TORRENT SAVE_PATH]
# Session i listens on 127.0.(FIRST_SUBNET + i).1:(PORT + i): one /24 per node, so that libtorrent's rules of one
# node per /24 (dht_restrict_routing_ips, dht_restrict_search_ips) stay at their defaults and still let every node
# in. Each session is told of every earlier one with add_dht_node (a router given in dht_bootstrap_nodes would never
# enter a routing table). It prints
#   ready NODE_IP:NODE_PORT ...
# once the sessions run. Session 1 has a torrent of ANNOUNCE_HASH (hex) added, by magnet link, so that it announces
# that hash with its own listen port as any client does (the binding's session.dht_announce takes flags that
# Python cannot make), again every few seconds; and session 2 looks up SEARCH_HASH as often. Given TORRENT and
# SAVE_PATH (which holds all its data), session 1 seeds that torrent instead, whose info hash must be ANNOUNCE_HASH:
# a seeder in the DHT, on its node's address and port, announcing itself every few seconds. Every peer a lookup
# returns is printed once as
#   found SEARCH_HASH IP:PORT
# Alerts go to stderr. It stops after TIMEOUT seconds.
import os
import sys
import tempfile
import time

import libtorrent as lt

first, count, port = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
announce_hash, search_hash, timeout = sys.argv[4], sys.argv[5], float(sys.argv[6])


def address(i):
    return '127.0.%d.1' % (first + i), port + i


sessions = []
for i in range(count):
    ip, p = address(i)
    sessions.append(lt.session({
        'listen_interfaces': '%s:%d' % (ip, p),
        'outgoing_interfaces': ip,
        'enable_dht': True,
        'dht_bootstrap_nodes': '',
        'enable_lsd': False,
        'enable_upnp': False,
        'enable_natpmp': False,
        'alert_mask': lt.alert.category_t.dht_notification | lt.alert.category_t.dht_operation_notification
            | lt.alert.category_t.error_notification | lt.alert.category_t.connect_notification,
    }))
    for j in range(i):
        sessions[i].add_dht_node(address(j))

if len(sys.argv) > 8:
    params = lt.add_torrent_params()
    params.ti = lt.torrent_info(sys.argv[7])
    if str(params.ti.info_hashes().v1) != announce_hash:
        sys.exit('%s has the info hash %s, not %s' % (sys.argv[7], params.ti.info_hashes().v1, announce_hash))
    params.save_path = sys.argv[8]
    params.flags |= lt.torrent_flags.seed_mode
else:
    params = lt.parse_magnet_uri('magnet:?xt=urn:btih:' + announce_hash)
    params.save_path = tempfile.mkdtemp(prefix='libtorrent-dht-')
announcer = sessions[1].add_torrent(params)

print('ready ' + ' '.join('%s:%d' % address(i) for i in range(count)), flush=True)

start = time.monotonic()
found = set()
next_round = start
while time.monotonic() < start + timeout:
    # Polls: the binding's wait_for_alert() segfaults now and then (docs/architecture.md, Testing).
    time.sleep(0.05)
    if time.monotonic() >= next_round:
        announcer.force_dht_announce()
        sessions[2].dht_get_peers(lt.sha1_hash(bytes.fromhex(search_hash)))
        next_round = time.monotonic() + 3
    for i, ses in enumerate(sessions):
        for alert in ses.pop_alerts():
            print('%8.3f node %d %s: %s' % (time.monotonic() - start, i, type(alert).__name__, alert.message()),
                  file=sys.stderr, flush=True)
            if isinstance(alert, lt.dht_get_peers_reply_alert) and str(alert.info_hash) == search_hash:
                for peer in alert.peers():
                    line = 'found %s %s:%d' % (search_hash, peer[0], peer[1])
                    if line not in found:
                        found.add(line)
                        print(line, flush=True)
os._exit(0)
