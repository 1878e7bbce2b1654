package io.aksheadroom.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * Requests a client library would never send, written byte for byte on a socket: oversized and malformed request
 * lines, headers, query strings and bodies get a 4xx, never a 5xx; a body past the limit gets a problem document
 * naming the limit.
 */
@QuarkusTest
class HostileRequestsTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String CLOSE = "Host: localhost\r\nConnection: close\r\n";

    /** An HTTP answer: status line, headers (names in lower case) and body. */
    private record Answer(int status, Map<String, String> headers, String body) {
    }

    /** Writes {@code head} and {@code body} as they are and reads the answer to its end; status 0: no answer. */
    private static Answer send(String head, byte[] body) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), RestAssured.port)) {
            socket.setSoTimeout(60_000);
            OutputStream out = socket.getOutputStream();
            try {
                out.write(head.getBytes(StandardCharsets.ISO_8859_1));
                out.write(body);
                out.flush();
            } catch (IOException e) {
                // Answered and closed before the whole request was written: the answer is still there to read.
            }
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[8192];
            try {
                for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
                    answer.write(buffer, 0, read);
                }
            } catch (IOException e) {
                // A reset after the answer.
            }
            return parse(answer.toString(StandardCharsets.UTF_8));
        }
    }

    private static Answer send(String head) throws IOException {
        return send(head, new byte[0]);
    }

    private static Answer parse(String text) {
        if (!text.startsWith("HTTP/")) {
            return new Answer(0, Map.of(), text);
        }
        int end = text.indexOf("\r\n\r\n");
        String[] lines = text.substring(0, end < 0 ? text.length() : end).split("\r\n");
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.put(lines[i].substring(0, colon).trim().toLowerCase(), lines[i].substring(colon + 1).trim());
        }
        return new Answer(Integer.parseInt(lines[0].split(" ")[1]), headers, end < 0 ? "" : text.substring(end + 4));
    }

    @Test
    void aDeclaredBodyPastTheLimitIsAProblemNamingTheLimit() throws IOException {
        Answer answer = send("POST /api/v1/plan HTTP/1.1\r\n" + CLOSE + "Content-Type: application/json\r\n"
                + "Content-Length: 11534336\r\n\r\n", "{\"name\":".getBytes(StandardCharsets.UTF_8));
        assertEquals(413, answer.status());
        assertEquals(Problem.MEDIA_TYPE, answer.headers().get("content-type"));
        JsonNode problem = MAPPER.readTree(answer.body());
        assertEquals(413, problem.path("status").asInt());
        assertEquals("the request body of 11534336 bytes is over the limit of 10485760 bytes"
                + " (quarkus.http.limits.max-body-size)", problem.path("detail").asText());
    }

    @Test
    void aBodyAtTheLimitPassesTheLimit() throws IOException {
        byte[] body = new byte[10 * 1024 * 1024];
        java.util.Arrays.fill(body, (byte) ' ');
        body[0] = '[';
        body[body.length - 1] = ']';
        Answer answer = send("POST /api/v1/plan HTTP/1.1\r\n" + CLOSE + "Content-Type: application/json\r\n"
                + "Content-Length: " + body.length + "\r\n\r\n", body);
        assertEquals(400, answer.status(), "parsed and refused as not an object, not as too large: " + answer);
        assertEquals(Problem.MEDIA_TYPE, answer.headers().get("content-type"));
    }

    @Test
    void malformedOrOversizedRequestsGetA4xxNeverA5xx() throws IOException {
        String plan = "POST /api/v1/plan HTTP/1.1\r\n" + CLOSE;
        Map<String, String> requests = new LinkedHashMap<>();
        requests.put("query with a bad escape", "GET /api/v1/alerts?severity=%zz HTTP/1.1\r\n" + CLOSE + "\r\n");
        requests.put("query of a lone %", "GET /api/v1/alerts?% HTTP/1.1\r\n" + CLOSE + "\r\n");
        requests.put("query with a cut UTF-8 escape", "GET /api/v1/alerts?severity=%E0%A4%A HTTP/1.1\r\n" + CLOSE
                + "\r\n");
        requests.put("query with invalid UTF-8", "GET /api/v1/alerts?severity=%ff%fe HTTP/1.1\r\n" + CLOSE + "\r\n");
        requests.put("path with a bad escape", "GET /api/v1/clusters/%zz HTTP/1.1\r\n" + CLOSE + "\r\n");
        requests.put("path with an encoded lone surrogate", "GET /api/v1/clusters/%ED%A0%80 HTTP/1.1\r\n" + CLOSE
                + "\r\n");
        requests.put("query of 12,000 bytes", "GET /api/v1/alerts?" + "a=1&".repeat(3000) + " HTTP/1.1\r\n" + CLOSE
                + "\r\n");
        requests.put("header of 30,000 bytes", "GET /api/v1/alerts HTTP/1.1\r\n" + CLOSE + "X-Big: "
                + "y".repeat(30_000) + "\r\n\r\n");
        requests.put("5,000 headers", "GET /api/v1/alerts HTTP/1.1\r\n" + CLOSE + "X-H: v\r\n".repeat(5000) + "\r\n");
        requests.put("header line without a colon", "GET /api/v1/alerts HTTP/1.1\r\n" + CLOSE + "no colon\r\n\r\n");
        requests.put("header name with a space", "GET /api/v1/alerts HTTP/1.1\r\n" + CLOSE + "Bad Name: v\r\n\r\n");
        requests.put("header value with a control byte", "GET /api/v1/alerts HTTP/1.1\r\n" + CLOSE
                + "X-Ctl: a\u0001b\r\n\r\n");
        requests.put("Accept of garbage", "GET /api/v1/alerts HTTP/1.1\r\n" + CLOSE + "Accept: ;;;,,,/\r\n\r\n");
        requests.put("Accept of Latin-1 bytes", "GET /api/v1/alerts HTTP/1.1\r\n" + CLOSE
                + "Accept: \u00ff\u00fe/\u0080\r\n\r\n");
        requests.put("Content-Length not a number", plan + "Content-Type: application/json\r\nContent-Length: abc"
                + "\r\n\r\n");
        requests.put("Content-Length negative", plan + "Content-Type: application/json\r\nContent-Length: -5\r\n\r\n");
        requests.put("Content-Length past a long", plan + "Content-Type: application/json\r\n"
                + "Content-Length: 99999999999999999999999\r\n\r\n");
        requests.put("Content-Type of garbage", plan + "Content-Type: ;;;\r\nContent-Length: 2\r\n\r\n{}");
        requests.put("unknown charset", plan + "Content-Type: application/json; charset=klingon\r\n"
                + "Content-Length: 2\r\n\r\n{}");
        requests.put("not HTTP at all", "GARBAGE\r\n\r\n");
        requests.put("bad chunk size", plan + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "zz\r\n");

        List<String> wrong = new ArrayList<>();
        int answered = 0;
        for (Map.Entry<String, String> request : requests.entrySet()) {
            Answer answer = send(request.getValue());
            answered += answer.status() == 0 ? 0 : 1;
            // No answer at all is a connection the decoder gave up on: never an error of the service's own.
            if (answer.status() != 0 && (answer.status() < 400 || answer.status() >= 500)) {
                wrong.add(request.getKey() + ": " + answer.status() + " " + answer.body());
            }
        }
        assertEquals(List.of(), wrong);
        assertTrue(answered >= requests.size() - 1, "only the broken chunked body may go unanswered");
    }

    @Test
    void aChunkedBodyThatOutgrowsTheLimitIsRefused() throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        byte[] chunk = ("100000\r\n" + "x".repeat(0x100000) + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
        for (int i = 0; i < 12; i++) {
            body.write(chunk);
        }
        body.write("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        Answer answer = send("POST /api/v1/plan HTTP/1.1\r\n" + CLOSE + "Content-Type: application/json\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n", body.toByteArray());
        assertEquals(413, answer.status());
    }
}
