package dev.jtorrent.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/** A file channel that passes everything on, letting tests fail writes and count opens and forces. */
class WrappedChannel extends ForwardingChannel {
    private final FaultyDisk disk;

    WrappedChannel(FileChannel inner, FaultyDisk disk) {
        super(inner);
        this.disk = disk;
        disk.opened();
    }

    @Override
    public int write(ByteBuffer src, long position) throws IOException {
        String failure = disk.writeFailure;
        if (failure != null) {
            // a partial write first, as a real disk filling up mid-piece does
            if (src.remaining() > 1) {
                ByteBuffer half = src.slice(src.position(), src.remaining() / 2);
                inner.write(half, position);
            }
            throw new IOException(failure);
        }
        return inner.write(src, position);
    }

    @Override
    public void force(boolean metaData) throws IOException {
        disk.forces.incrementAndGet();
        inner.force(metaData);
    }

    @Override
    protected void implCloseChannel() throws IOException {
        disk.open.decrementAndGet();
        inner.close();
    }
}
