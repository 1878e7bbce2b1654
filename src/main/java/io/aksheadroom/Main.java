package io.aksheadroom;

import io.aksheadroom.gate.CheckCommand;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;

import java.util.Arrays;

/**
 * The jar's entry point. {@code check} is answered here, before Quarkus boots, so a pipeline's gate starts no broker,
 * opens no port and creates no Kafka client; anything else starts the service as before.
 */
@QuarkusMain
public final class Main {

    Main() {
    }

    public static void main(String... args) {
        if (args.length > 0 && CheckCommand.NAME.equals(args[0])) {
            int code = CheckCommand.run(Arrays.asList(args).subList(1, args.length), System.getenv(),
                    System.getProperties(), System.in, System.out, System.err);
            System.out.flush();
            System.exit(code);
        }
        Quarkus.run(args);
    }
}
