package dev.jtorrent.swarm;

import dev.jtorrent.budget.SessionBudgets;
import dev.jtorrent.metainfo.InfoDictionary;
import dev.jtorrent.storage.FilePriority;
import dev.jtorrent.storage.PieceMap;
import dev.jtorrent.storage.Storage;
import dev.jtorrent.wire.PeerId;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;
import java.util.random.RandomGenerator;

/**
 * What a {@link Swarm} keeps between its spells awake: the pieces that are ours and those taken on trust, the file
 * priorities and the sequential flag, the torrent's own limits, the peers known and banned, our own addresses, the
 * totals of the spells before, and its statistics while asleep. A few hundred bytes, where a {@link SwarmLogic} is
 * some ten KiB. Not thread-safe: its swarm holds its lock around every call, except {@link #resting()}.
 */
final class SwarmKeep {
    /** Each spell records with sequence numbers above every earlier spell's (see {@link PieceRecorder}). */
    private static final long SPELL_SEQUENCES = 1L << 32;

    private final InfoDictionary info;
    /** The pieces that are ours, as of the last sleep or stop; the live set is the logic's while awake. */
    private PieceSet verified;
    /** Pieces among {@link #verified} taken on trust: hashed before their first upload. */
    private final PieceSet unchecked;
    /** Empty for every file normal. */
    private List<FilePriority> priorities;
    private boolean sequential;
    private long uploadLimit;
    private long downloadLimit;
    /** Known and banned peers; made at the first wake. */
    private KnownPeers known;
    private List<InetSocketAddress> ownAddresses = List.of();
    private IntConsumer pieceDone;
    /** The session's DHT node, if it runs one and the torrent may use it. */
    private DhtContact dht;
    /** The sequence numbers of the present spell's records start above this one. */
    private long recordBase = 1;
    /** What the spells before the present one moved. */
    private long downloadedBefore;
    private long uploadedBefore;
    private long wastedBefore;
    private volatile SwarmStats resting;

    /** @throws IllegalArgumentException if the options do not give one priority for each of the torrent's files */
    SwarmKeep(InfoDictionary info, SwarmConfig config, PieceSet verified, PieceSet unchecked,
              DownloadOptions options) {
        this.info = info;
        PieceMap map = PieceMap.of(info);
        List<FilePriority> wanted = options.prioritiesFor(map.files().size());
        this.priorities = options.filePriorities().isEmpty() ? List.of() : wanted;
        this.sequential = options.sequential();
        this.uploadLimit = config.uploadLimit();
        this.downloadLimit = config.downloadLimit();
        this.verified = verified.copy();
        this.unchecked = unchecked.copy();
        this.resting = startingStats(info, map, wanted, verified);
    }

    /** The statistics of a swarm that has not woken yet: the pieces it has, and the bytes of wanted pieces left. */
    private static SwarmStats startingStats(InfoDictionary info, PieceMap map, List<FilePriority> priorities,
                                            PieceSet verified) {
        FilePriority[] pieces = FilePriority.ofPieces(map, priorities);
        long left = 0;
        for (int piece = 0; piece < pieces.length; piece++) {
            if (pieces[piece].wanted() && !verified.has(piece)) {
                left += info.pieceSize(piece);
            }
        }
        return new SwarmStats(0, 0, 0, 0, 0, 0, 0, verified.count(), info.pieceCount(), left, left == 0,
                SwarmState.RUNNING);
    }

    /**
     * A logic for a new spell, starting from what is kept.
     *
     * @param config   the torrent's settings; its limits are replaced by those kept
     * @param recorder where records go; this spell's sequence numbers are raised above the earlier spells'
     */
    SwarmLogic newLogic(PeerId ourId, SwarmConfig config, Storage storage, PieceRecorder recorder, Runnable onComplete,
                        RandomGenerator random, SessionBudgets budgets, SwarmEdges edges) {
        if (known == null) {
            known = new KnownPeers();
        }
        long base = recordBase;
        PieceRecorder raised = recorder == PieceRecorder.NONE ? PieceRecorder.NONE
                : (sequence, pieces) -> recorder.record(base + sequence, pieces);
        SwarmLogic logic = new SwarmLogic(info, ourId, config.withUploadLimit(uploadLimit)
                .withDownloadLimit(downloadLimit), storage, verified, unchecked, raised, onComplete, random,
                new DownloadOptions(priorities, sequential), budgets, edges, known);
        ownAddresses.forEach(logic::addOwnAddress);
        if (pieceDone != null) {
            logic.onPieceDone(pieceDone);
        }
        if (dht != null) {
            logic.useDht(dht);
        }
        return logic;
    }

    /** Keeps what an idle logic has, as its spell ends in a sleep; the logic's life is over. */
    void keep(SwarmLogic logic) {
        logic.sleep();
        SwarmStats last = logic.stats();
        verified = logic.shared().copy();
        priorities = logic.priorities();
        recordBase += SPELL_SEQUENCES;
        downloadedBefore += last.downloaded();
        uploadedBefore += last.uploaded();
        wastedBefore += last.wasted();
        resting = new SwarmStats(downloadedBefore, uploadedBefore, wastedBefore, 0, 0, 0, last.knownPeers(),
                last.havePieces(), last.pieceCount(), last.bytesLeft(), last.complete(), last.state());
    }

    /** A spell's statistics with the totals of the spells before it added. */
    SwarmStats withEarlier(SwarmStats now) {
        if (downloadedBefore == 0 && uploadedBefore == 0 && wastedBefore == 0) {
            return now;
        }
        return new SwarmStats(now.downloaded() + downloadedBefore, now.uploaded() + uploadedBefore,
                now.wasted() + wastedBefore, now.downRate(), now.upRate(), now.peers(), now.knownPeers(),
                now.havePieces(), now.pieceCount(), now.bytesLeft(), now.complete(), now.state());
    }

    /** The statistics while asleep; any thread. */
    SwarmStats resting() {
        return resting;
    }

    PieceSet verified() {
        return verified;
    }

    /** The pieces a stopped spell left. */
    void stoppedWith(PieceSet pieces) {
        verified = pieces.copy();
    }

    /** A sequence number above every record made so far, for a record while asleep. */
    long nextRecordWhileAsleep() {
        return recordBase + 1;
    }

    void setPriorities(List<FilePriority> next) {
        priorities = next;
    }

    void setSequential(boolean value) {
        sequential = value;
    }

    void setLimits(long upload, long download) {
        uploadLimit = upload;
        downloadLimit = download;
    }

    void addOwnAddress(InetSocketAddress address) {
        List<InetSocketAddress> more = new ArrayList<>(ownAddresses);
        more.add(address);
        ownAddresses = List.copyOf(more);
    }

    void onPieceDone(IntConsumer listener) {
        pieceDone = listener;
    }

    void useDht(DhtContact contact) {
        dht = contact;
    }
}
