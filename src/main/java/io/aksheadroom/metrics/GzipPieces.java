package io.aksheadroom.metrics;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

import java.nio.ByteBuffer;
import java.util.function.Consumer;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * Compresses a scrape piece by piece into one gzip member (RFC 1952), handing on compressed buffers as they fill.
 * The pieces are deflated where they lie (pooled direct memory), so the 14 MB of text of a large fleet is never copied
 * onto the heap; only the compressed bytes, a twentieth of it, are buffered.
 *
 * <p>Takes ownership of each piece it is given and releases it; {@code out} owns each buffer it is handed. Call
 * {@link #finish()} once after the last piece, and {@link #close()} in any case.
 */
final class GzipPieces implements Consumer<ByteBuf>, AutoCloseable {

    /** Magic, deflate, no flags, no time, no extra flags, unknown operating system. */
    private static final byte[] HEADER = {0x1f, (byte) 0x8b, Deflater.DEFLATED, 0, 0, 0, 0, 0, 0, (byte) 0xff};
    private static final int OUTPUT_SIZE = 64 * 1024;

    private final Deflater deflater;
    private final CRC32 crc = new CRC32();
    private final ByteBufAllocator allocator;
    private final Consumer<ByteBuf> out;
    private ByteBuf output;

    /** {@code level}: 1 (fastest) to 9 (smallest). */
    GzipPieces(int level, ByteBufAllocator allocator, Consumer<ByteBuf> out) {
        if (level < 1 || level > 9) {
            throw new IllegalArgumentException("a gzip level is 1 to 9, got " + level);
        }
        this.deflater = new Deflater(level, true);
        this.allocator = allocator;
        this.out = out;
        this.output = allocator.directBuffer(OUTPUT_SIZE);
        output.writeBytes(HEADER);
    }

    @Override
    public void accept(ByteBuf piece) {
        try {
            for (ByteBuffer text : piece.nioBuffers()) {
                crc.update(text.duplicate());
                deflater.setInput(text);
                while (!deflater.needsInput()) {
                    deflateInto();
                }
            }
        } finally {
            piece.release();
        }
    }

    /** Writes what the deflater still holds and the trailer (CRC-32 and length, little-endian), and hands it on. */
    void finish() {
        deflater.finish();
        while (!deflater.finished()) {
            deflateInto();
        }
        output.ensureWritable(8);
        output.writeIntLE((int) crc.getValue());
        output.writeIntLE((int) deflater.getBytesRead());
        ByteBuf last = output;
        output = null;
        out.accept(last);
    }

    private void deflateInto() {
        if (!output.isWritable()) {
            ByteBuf full = output;
            output = allocator.directBuffer(OUTPUT_SIZE);
            out.accept(full);
        }
        ByteBuffer room = output.nioBuffer(output.writerIndex(), output.writableBytes());
        output.writerIndex(output.writerIndex() + deflater.deflate(room));
    }

    /** Frees the deflater's native memory, and a buffer not handed on when the scrape failed half way. */
    @Override
    public void close() {
        deflater.end();
        if (output != null) {
            output.release();
            output = null;
        }
    }
}
