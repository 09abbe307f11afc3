# Downloads the torrent argv[1] into save_path argv[2], listening on argv[3]:argv[4] and connecting and announcing
# from that address, until libtorrent holds every piece or argv[5] seconds have passed. Writes every alert to stderr
# as a log, and prints one JSON object: whether it completed, how long it took, and how many 16 KiB blocks came from
# each peer address. DHT, local discovery, UPnP, NAT-PMP and uTP are off: peers come from the tracker, over TCP.
import json
import sys
import time

import libtorrent as lt

torrent, save_path, ip, port, timeout = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), float(sys.argv[5])
ses = lt.session({
    'listen_interfaces': '%s:%d' % (ip, port),
    'outgoing_interfaces': ip,
    'enable_dht': False,
    'enable_lsd': False,
    'enable_upnp': False,
    'enable_natpmp': False,
    'enable_outgoing_utp': False,
    'enable_incoming_utp': False,
    # No peer_notification: its alerts only filled the log.
    'alert_mask': lt.alert.category_t.status_notification | lt.alert.category_t.error_notification
        | lt.alert.category_t.tracker_notification | lt.alert.category_t.connect_notification
        | lt.alert.category_t.block_progress_notification,
})
# The tracker lists this peer among the others, and libtorrent dials itself before it sees that it has ("connected
# to ourselves"). Every client of these tests has its own address, so no other peer is on ours.
own_address = lt.ip_filter()
own_address.add_rule(ip, ip, 1)
ses.set_ip_filter(own_address)
params = lt.add_torrent_params()
params.ti = lt.torrent_info(torrent)
params.save_path = save_path
handle = ses.add_torrent(params)

start = time.monotonic()
deadline, blocks, complete, errors = start + timeout, {}, False, []


def handle_alerts():
    for alert in ses.pop_alerts():
        if isinstance(alert, lt.block_finished_alert):
            address = str(alert.ip[0])
            blocks[address] = blocks.get(address, 0) + 1
            continue  # one line per block would drown the rest of the log
        if isinstance(alert, lt.block_downloading_alert):
            continue  # one per block requested: not logged either
        if alert.category() & lt.alert.category_t.error_notification:
            errors.append(alert.message())
        print('%8.3f %s: %s' % (time.monotonic() - start, type(alert).__name__, alert.message()), file=sys.stderr,
              flush=True)


while not complete and time.monotonic() < deadline:
    # Polls: the binding's wait_for_alert() reads the alert it returns after releasing the session's lock, and
    # segfaults now and then (docs/architecture.md, Testing).
    time.sleep(0.05)
    handle_alerts()
    complete = handle.status().is_seeding
elapsed = time.monotonic() - start
time.sleep(0.2)  # the alerts of the last blocks may trail the status by a moment
handle_alerts()
status = handle.status()

print(json.dumps({
    'complete': complete,
    'seconds': elapsed,
    'progress': status.progress,
    'piecesHave': status.num_pieces,
    'pieceCount': params.ti.num_pieces(),
    'blocksFrom': blocks,
    'errors': errors,
}))
