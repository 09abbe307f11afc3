# libtorrent 2.0 as a leecher that has a magnet link and one peer's address, nothing else:
#   libtorrent-magnet.py MAGNET SAVE_PATH IP PORT PEER_IP PEER_PORT TIMEOUT [dht]
# It listens on IP:PORT, connects from IP to PEER_IP:PEER_PORT (connect_peer), and so must get the info dictionary
# from that peer over ut_metadata (BEP 9) before it can download. DHT, local discovery, UPnP, NAT-PMP and uTP are
# off, and the magnet link names no tracker, so that peer is its only source. With "dht" as the last argument the
# peer is a DHT node instead: the DHT is on, that node is added with add_dht_node (a node of the routing table, not
# a router), no peer is dialled, and the torrent is announced on the DHT (force_dht_announce) every few seconds while
# it has no peer, so that the DHT is its only source. Every alert is a line on stderr. It runs until libtorrent holds
# every piece or TIMEOUT seconds have passed, then prints one JSON object: whether and when the metadata came,
# when the first peer other than itself connected, whether it completed, how long it took, and the peers it had.
import json
import os
import sys
import time

import libtorrent as lt

magnet, save_path, ip, port = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
peer, timeout = (sys.argv[5], int(sys.argv[6])), float(sys.argv[7])
dht = len(sys.argv) > 8 and sys.argv[8] == 'dht'
ses = lt.session({
    'listen_interfaces': '%s:%d' % (ip, port),
    'outgoing_interfaces': ip,
    'enable_dht': dht,
    'dht_bootstrap_nodes': '',
    'enable_lsd': False,
    'enable_upnp': False,
    'enable_natpmp': False,
    'enable_outgoing_utp': False,
    'enable_incoming_utp': False,
    'alert_mask': lt.alert.category_t.status_notification | lt.alert.category_t.error_notification
        | lt.alert.category_t.connect_notification | lt.alert.category_t.peer_notification
        | lt.alert.category_t.dht_notification,
})
if dht:
    ses.add_dht_node(peer)
params = lt.parse_magnet_uri(magnet)
params.save_path = save_path
start = time.monotonic()
handle = ses.add_torrent(params)
if not dht:
    handle.connect_peer(peer)

deadline = start + timeout
errors, metadata_seconds, peer_seconds, complete, next_dial = [], None, None, False, start + 5
peers = {}


def handle_alerts():
    for alert in ses.pop_alerts():
        if alert.category() & lt.alert.category_t.error_notification:
            errors.append(alert.message())
        print('%8.3f %s: %s' % (time.monotonic() - start, type(alert).__name__, alert.message()), file=sys.stderr,
              flush=True)


while time.monotonic() < deadline:
    # Polls: the binding's wait_for_alert() segfaults now and then (docs/architecture.md, Testing).
    time.sleep(0.05)
    handle_alerts()
    for info in handle.get_peer_info():
        if info.ip[0] != ip:  # it finds its own announce too, and drops that connection
            peers.setdefault('%s:%d' % info.ip, bool(info.source & lt.peer_info.dht))
            if peer_seconds is None:
                peer_seconds = time.monotonic() - start
    status = handle.status()
    if status.has_metadata and metadata_seconds is None:
        metadata_seconds = time.monotonic() - start
    if status.is_seeding:
        complete = True
        break
    if status.num_peers == 0 and time.monotonic() > next_dial:
        # The one peer there is went away (or was not found yet): dial it, or look it up, again.
        if dht:
            handle.force_dht_announce()
        else:
            handle.connect_peer(peer)
        next_dial = time.monotonic() + 5

elapsed = time.monotonic() - start
handle_alerts()
status = handle.status()
print(json.dumps({
    'metadata': metadata_seconds is not None,
    'metadataSeconds': metadata_seconds,
    'firstPeerSeconds': peer_seconds,
    'complete': complete,
    'seconds': elapsed,
    'progress': status.progress,
    'peers': peers,
    'errors': errors,
}), flush=True)
ses.pause()
os._exit(0)
