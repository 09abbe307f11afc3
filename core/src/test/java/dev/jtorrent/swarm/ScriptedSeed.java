package dev.jtorrent.swarm;

import dev.jtorrent.metainfo.InfoDictionary;
import dev.jtorrent.metainfo.InfoHash;
import dev.jtorrent.peer.SocketConnection;
import dev.jtorrent.wire.Handshake;
import dev.jtorrent.wire.Message;
import dev.jtorrent.wire.PeerId;
import dev.jtorrent.wire.WireReader;
import dev.jtorrent.wire.WireWriter;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * A seed the test plays by hand, over a loopback connection handed to a swarm (both handshakes taken as done): it
 * has every piece and unchokes at once; the test reads the swarm's messages and answers them.
 */
final class ScriptedSeed implements AutoCloseable {
    final Socket socket;
    final WireReader fromSwarm;
    final WireWriter toSwarm;
    private final byte[] content;
    private final int pieceLength;

    private ScriptedSeed(Socket socket, byte[] content, int pieceLength) throws IOException {
        this.socket = socket;
        this.fromSwarm = WireReader.of(socket.getInputStream());
        this.toSwarm = WireWriter.of(socket.getOutputStream());
        this.content = content;
        this.pieceLength = pieceLength;
    }

    /** Connects a seed of {@code content} to {@code swarm}, and tells it we have all and unchoke. */
    static ScriptedSeed connect(Swarm swarm, InfoHash infoHash, InfoDictionary info, byte[] content)
            throws IOException {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        Socket seed;
        Socket ours;
        try (ServerSocket server = new ServerSocket(0, 1, loopback)) {
            seed = new Socket(loopback, server.getLocalPort());
            ours = server.accept();
        }
        InputStream input = ours.getInputStream();
        swarm.accept(SocketConnection.open(ours, Handshake.of(infoHash, PeerId.random("-XX0000-")).withFast(true),
                true, input, WireReader.of(input), WireWriter.of(ours.getOutputStream()), info));
        ScriptedSeed scripted = new ScriptedSeed(seed, content, info.pieceLength());
        scripted.toSwarm.send(new Message.HaveAll());
        scripted.toSwarm.send(new Message.Unchoke());
        return scripted;
    }

    /** Sends the block {@code r} asks for. */
    void answer(Message.Request r) throws IOException {
        int at = r.piece() * pieceLength + r.begin();
        toSwarm.send(new Message.Piece(r.piece(), r.begin(), ByteBuffer.wrap(content, at, r.length())));
    }

    /** The SHA-1 of each {@code pieceLength} bytes of {@code content}, as a torrent's {@code pieces}. */
    static byte[] pieceHashes(byte[] content, int pieceLength) throws NoSuchAlgorithmException {
        int pieces = (content.length + pieceLength - 1) / pieceLength;
        byte[] hashes = new byte[20 * pieces];
        for (int i = 0; i < pieces; i++) {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            sha1.update(content, i * pieceLength, Math.min(pieceLength, content.length - i * pieceLength));
            System.arraycopy(sha1.digest(), 0, hashes, 20 * i, 20);
        }
        return hashes;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
