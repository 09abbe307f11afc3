package dev.jtorrent.tracker;

import dev.jtorrent.net.BindAddresses;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * A UDP tracker client's own socket, for a client without a session's port (tests, commands that announce alone):
 * bound to the configured address on a port of the system's choice and connected to the tracker, so that the kernel
 * reports a closed port (ICMP) at once instead of a silent timeout, and drops datagrams from anyone else. One client
 * uses it one transaction at a time.
 */
final class OwnUdpSocket implements UdpTransport {
    /** Above the largest UDP payload: a reply of thousands of peers is read whole. */
    private static final int MAX_PACKET = 65_536;

    private final BindAddresses bindAddresses;
    private final RandomGenerator random;
    private final byte[] buffer = new byte[MAX_PACKET];
    private DatagramSocket socket;

    OwnUdpSocket(BindAddresses bindAddresses, RandomGenerator random) {
        this.bindAddresses = bindAddresses;
        this.random = random;
    }

    @Override
    public Transaction begin(InetSocketAddress tracker) throws IOException {
        if (socket == null) {
            DatagramSocket opened = new DatagramSocket(new InetSocketAddress(
                    bindAddresses.localFor(tracker.getAddress()).orElse(null), 0));
            try {
                opened.connect(tracker);
            } catch (IOException | RuntimeException e) {
                opened.close();
                throw e;
            }
            socket = opened;
        }
        int id = random.nextInt();
        return new Transaction() {
            @Override
            public int id() {
                return id;
            }

            @Override
            public void send(byte[] request) throws IOException {
                socket.send(new DatagramPacket(request, request.length, tracker));
            }

            @Override
            public byte[] receive(long deadlineNanos) throws IOException, InterruptedException {
                while (true) {
                    long remainingMillis = (deadlineNanos - System.nanoTime()) / 1_000_000;
                    if (remainingMillis <= 0) {
                        return null;
                    }
                    if (Thread.interrupted()) {
                        throw new InterruptedException();
                    }
                    DatagramPacket received = new DatagramPacket(buffer, buffer.length);
                    socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, remainingMillis));
                    try {
                        socket.receive(received);
                    } catch (SocketTimeoutException e) {
                        return null;
                    }
                    if (tracker.equals(received.getSocketAddress())) {
                        return Arrays.copyOf(buffer, received.getLength());
                    }
                    // a stranger's packet: BEP 15 replies come from the address we asked
                }
            }

            @Override
            public void close() {
            }
        };
    }

    @Override
    public void close() {
        if (socket != null) {
            socket.close();
        }
    }
}
