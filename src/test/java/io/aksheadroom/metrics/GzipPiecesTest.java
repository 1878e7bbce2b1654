package io.aksheadroom.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aksheadroom.config.MetricsConfig;
import io.aksheadroom.support.SyntheticFleet;
import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPInputStream;

import org.junit.jupiter.api.Test;

/**
 * {@code /q/metrics} in gzip: what {@link GzipPieces} makes of a scrape's pieces is one gzip member that decompresses
 * to the same bytes, whatever the pieces' sizes and the level; every buffer is released; and the endpoint asks for it
 * only when the scraper accepts gzip.
 */
class GzipPiecesTest {

    private static final PooledByteBufAllocator POOL = PooledByteBufAllocator.DEFAULT;

    /**
     * Compresses {@code pieces} (each copied into direct memory, unpooled: a released pooled buffer's object is
     * recycled for the next allocation, so its count would say nothing) and returns the gzip bytes.
     */
    private static byte[] gzip(int level, List<byte[]> pieces) {
        List<ByteBuf> inputs = new ArrayList<>();
        List<ByteBuf> outputs = new ArrayList<>();
        ByteArrayOutputStream compressed = new ByteArrayOutputStream();
        try (GzipPieces gzip = new GzipPieces(level, POOL, outputs::add)) {
            for (byte[] piece : pieces) {
                ByteBuf buffer = Unpooled.directBuffer(piece.length);
                buffer.writeBytes(piece);
                inputs.add(buffer);
                gzip.accept(buffer);
            }
            gzip.finish();
        }
        for (ByteBuf input : inputs) {
            assertEquals(0, input.refCnt(), "every piece is released");
        }
        for (ByteBuf output : outputs) {
            byte[] bytes = new byte[output.readableBytes()];
            output.readBytes(bytes);
            compressed.writeBytes(bytes);
            assertTrue(output.release(), "each compressed buffer is handed on once, to be released by its taker");
        }
        return compressed.toByteArray();
    }

    private static byte[] gunzip(byte[] gzip) throws IOException {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(gzip))) {
            return in.readAllBytes();
        }
    }

    private static byte[] concatenation(List<byte[]> pieces) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        pieces.forEach(all::writeBytes);
        return all.toByteArray();
    }

    @Test
    void randomPiecesDecompressToTheSameBytesAtEveryLevel() throws IOException {
        for (long seed = 1; seed <= 40; seed++) {
            Random random = new Random(seed);
            List<byte[]> pieces = new ArrayList<>();
            int count = random.nextInt(12);
            for (int i = 0; i < count; i++) {
                // Empty pieces, small ones, and ones larger than a compressed buffer; text-like and incompressible.
                byte[] piece = new byte[random.nextInt(4) == 0 ? random.nextInt(300_000) : random.nextInt(200)];
                if (random.nextBoolean()) {
                    random.nextBytes(piece);
                } else {
                    for (int b = 0; b < piece.length; b++) {
                        piece[b] = (byte) "aks_headroom{cluster=\"c\"} 1\n".charAt(random.nextInt(28));
                    }
                }
                pieces.add(piece);
            }
            int level = 1 + random.nextInt(9);
            assertArrayEquals(concatenation(pieces), gunzip(gzip(level, pieces)), "seed " + seed + ", level " + level);
        }
    }

    @Test
    void aWholeScrapeOfAThousandClustersDecompressesToTheSameExposition() throws IOException {
        MetricsConfig config = new MetricsConfig() {
            @Override
            public int topNodes() {
                return 20;
            }

            @Override
            public int gzipLevel() {
                return 1;
            }
        };
        MetricsEndpoint endpoint = new MetricsEndpoint(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
                SyntheticFleet.of(1000, 20, 2), config);
        String plain = endpoint.render(null);
        List<ByteBuf> outputs = new ArrayList<>();
        try (GzipPieces gzip = new GzipPieces(1, POOL, outputs::add)) {
            endpoint.write(null, gzip);
            gzip.finish();
        }
        ByteArrayOutputStream compressed = new ByteArrayOutputStream();
        for (ByteBuf output : outputs) {
            byte[] bytes = new byte[output.readableBytes()];
            output.readBytes(bytes);
            compressed.writeBytes(bytes);
            output.release();
        }
        assertTrue(plain.contains("aks_headroom_node_snat_utilization_ratio{"), "the fleet is in the scrape");
        assertEquals(plain, new String(gunzip(compressed.toByteArray()), StandardCharsets.UTF_8));
        assertTrue(compressed.size() * 10 < plain.length(), compressed.size() + " bytes of " + plain.length());
    }

    @Test
    void aLevelOutsideOneToNineIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new GzipPieces(0, POOL, ByteBuf::release));
        assertThrows(IllegalArgumentException.class, () -> new GzipPieces(10, POOL, ByteBuf::release));
    }

    @Test
    void gzipIsSentOnlyToAScraperThatAcceptsIt() {
        for (String accepted : List.of("gzip", "GZIP", "deflate, gzip", "gzip;q=0.5", "*", "br;q=1, *;q=0.1",
                "gzip ; q=1.0")) {
            assertTrue(MetricsEndpoint.acceptsGzip(accepted), accepted);
        }
        for (String refused : new String[] {null, "", "identity", "deflate, br", "gzip;q=0", "gzip; q=0.000",
                "GZIP;Q=0", "*;q=0", "gzip;q=0, *", "*, gzip;q=0"}) {
            assertFalse(MetricsEndpoint.acceptsGzip(refused), refused);
        }
    }
}
