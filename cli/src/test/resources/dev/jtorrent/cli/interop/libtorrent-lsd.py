# libtorrent 2.0 as a peer that finds the other side by local service discovery (BEP 14) alone:
#   libtorrent-lsd.py seed TORRENT SAVE_PATH IP PORT TIMEOUT
#   libtorrent-lsd.py leech TORRENT SAVE_PATH IP PORT TIMEOUT
# It listens on IP:PORT and connects from IP. Local discovery is on and DHT, UPnP, NAT-PMP and uTP are off; the torrent
# names no tracker and no peer is given, so the only way to meet is an LSD announce on the loopback interface (with
# listen_interfaces on a 127.x address libtorrent joins the group there and announces from IP). Every alert is a line
# on stderr. Each peer heard of by LSD is printed as "lsd-peer ADDRESS" (python3-libtorrent 2.0.8 has no
# lsd_peer_alert class: the alert comes as a plain one, known by its message).
# seed: serves the data under SAVE_PATH (seed_mode) and prints "seeding" once it holds every piece; runs until the
#   process that started it exits or TIMEOUT seconds have passed.
# leech: downloads into SAVE_PATH until libtorrent holds every piece or TIMEOUT seconds have passed, then prints one
#   JSON object: whether it completed, how long it took, and the peers LSD told of.
import json
import os
import sys
import time

import libtorrent as lt

role, torrent, save_path, ip, port = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5])
timeout = float(sys.argv[6])
if role not in ('seed', 'leech'):
    sys.exit('the role is seed or leech, not %s' % role)
seeding = role == 'seed'
ses = lt.session({
    'listen_interfaces': '%s:%d' % (ip, port),
    'outgoing_interfaces': ip,
    'enable_dht': False,
    'enable_lsd': True,
    'enable_upnp': False,
    'enable_natpmp': False,
    'enable_outgoing_utp': False,
    'enable_incoming_utp': False,
    'alert_mask': lt.alert.category_t.status_notification | lt.alert.category_t.error_notification
        | lt.alert.category_t.connect_notification | lt.alert.category_t.peer_notification,
})
params = lt.add_torrent_params()
params.ti = lt.torrent_info(torrent)
params.save_path = save_path
if seeding:
    params.flags |= lt.torrent_flags.seed_mode
start, parent = time.monotonic(), os.getppid()
handle = ses.add_torrent(params)
lsd_peers, errors, complete, said_seeding = [], [], False, False


def handle_alerts():
    for alert in ses.pop_alerts():
        message = alert.message()
        if 'received peer from local service discovery' in message:
            lsd_peers.append(message)
            print('lsd-peer %s' % message, flush=True)
        if alert.category() & lt.alert.category_t.error_notification:
            errors.append(message)
        print('%8.3f %s: %s' % (time.monotonic() - start, type(alert).__name__, message), file=sys.stderr,
              flush=True)


while time.monotonic() - start < timeout and os.getppid() == parent:
    # Polls: the binding's wait_for_alert() segfaults now and then (docs/architecture.md, Testing).
    time.sleep(0.05)
    handle_alerts()
    status = handle.status()
    if status.is_seeding:
        if seeding and not said_seeding:
            print('seeding', flush=True)
            said_seeding = True
        if not seeding:
            complete = True
            break

handle_alerts()
if not seeding:
    print(json.dumps({
        'complete': complete,
        'seconds': time.monotonic() - start,
        'progress': handle.status().progress,
        'lsdPeers': lsd_peers,
        'errors': errors,
    }), flush=True)
ses.pause()
os._exit(0)
