package io.snapline.ledger;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;

/**
 * The real journal channel, with the faults of a full disk on demand: the next write stores only
 * some bytes and then fails, and truncation can be made to fail too. No real disk can be made to do
 * that to a process running as root, and the tests run as root.
 */
final class FaultyChannel extends FileChannel {

    private final FileChannel real;
    private volatile int failNextWriteAfter = -1;
    private volatile boolean failTruncate;

    FaultyChannel(FileChannel real) {
        this.real = real;
    }

    /** The next write stores {@code bytes} bytes, then fails with "No space left on device". */
    void failNextWriteAfter(int bytes) {
        failNextWriteAfter = bytes;
    }

    void failTruncate(boolean fail) {
        failTruncate = fail;
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        int limit = failNextWriteAfter;
        if (limit >= 0) {
            failNextWriteAfter = -1;
            ByteBuffer part = src.duplicate();
            part.limit(Math.min(src.limit(), src.position() + limit));
            int written = real.write(part);
            src.position(src.position() + written);
            throw new IOException("No space left on device");
        }
        return real.write(src);
    }

    @Override
    public FileChannel truncate(long size) throws IOException {
        if (failTruncate) {
            throw new IOException("No space left on device");
        }
        real.truncate(size);
        return this;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        return real.read(dst);
    }

    @Override
    public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
        return real.read(dsts, offset, length);
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        return real.write(srcs, offset, length);
    }

    @Override
    public long position() throws IOException {
        return real.position();
    }

    @Override
    public FileChannel position(long newPosition) throws IOException {
        real.position(newPosition);
        return this;
    }

    @Override
    public long size() throws IOException {
        return real.size();
    }

    @Override
    public void force(boolean metaData) throws IOException {
        real.force(metaData);
    }

    @Override
    public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
        return real.transferTo(position, count, target);
    }

    @Override
    public long transferFrom(ReadableByteChannel src, long position, long count) throws IOException {
        return real.transferFrom(src, position, count);
    }

    @Override
    public int read(ByteBuffer dst, long position) throws IOException {
        return real.read(dst, position);
    }

    @Override
    public int write(ByteBuffer src, long position) throws IOException {
        return real.write(src, position);
    }

    @Override
    public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
        return real.map(mode, position, size);
    }

    @Override
    public FileLock lock(long position, long size, boolean shared) throws IOException {
        return real.lock(position, size, shared);
    }

    @Override
    public FileLock tryLock(long position, long size, boolean shared) throws IOException {
        return real.tryLock(position, size, shared);
    }

    @Override
    protected void implCloseChannel() throws IOException {
        real.close();
    }
}
