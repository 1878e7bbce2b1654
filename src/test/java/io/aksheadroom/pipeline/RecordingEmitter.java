package io.aksheadroom.pipeline;

import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.Record;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * A channel's emitter that keeps what is sent, in order, and acknowledges it as the broker would: at once, or only when
 * the test says so ({@link #holdAcknowledgements()}), to stand for records sitting in a producer's buffer.
 */
final class RecordingEmitter {

    /** One record sent, and the broker's answer to it. */
    record Sent(Record<String, String> record, Message<?> message, CompletableFuture<Void> answer) {
    }

    private final List<Sent> sent = new ArrayList<>();
    private boolean holding;

    @SuppressWarnings("unchecked")
    MutinyEmitter<Record<String, String>> emitter() {
        return (MutinyEmitter<Record<String, String>>) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {MutinyEmitter.class}, (proxy, method, args) -> {
                    if (method.getName().equals("sendMessage")) {
                        Message<Record<String, String>> message = (Message<Record<String, String>>) args[0];
                        CompletableFuture<Void> answer = new CompletableFuture<>();
                        synchronized (this) {
                            sent.add(new Sent(message.getPayload(), message, answer));
                            if (!holding) {
                                answer.complete(null);
                            }
                        }
                        return Uni.createFrom().completionStage(answer);
                    }
                    if (method.getDeclaringClass() == Object.class) {
                        return method.getName().equals("hashCode") ? System.identityHashCode(proxy)
                                : method.getName().equals("equals") ? proxy == args[0] : "RecordingEmitter";
                    }
                    return switch (method.getName()) {
                        case "isCancelled" -> false;
                        case "hasRequests" -> true;
                        default -> throw new UnsupportedOperationException(method.getName());
                    };
                });
    }

    /** From now on, records wait for {@link #acknowledge} or {@link #fail}. */
    synchronized void holdAcknowledgements() {
        holding = true;
    }

    synchronized List<Sent> sent() {
        return List.copyOf(sent);
    }

    synchronized List<Record<String, String>> records() {
        return sent.stream().map(Sent::record).toList();
    }

    /** Acknowledges everything sent so far. */
    void acknowledgeAll() {
        sent().forEach(s -> s.answer().complete(null));
    }

    void acknowledge(Sent one) {
        one.answer().complete(null);
    }

    void fail(Sent one, Throwable failure) {
        one.answer().completeExceptionally(failure);
    }
}
