package io.ballast.e2e;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;

/**
 * A backend run as its own process inside a network namespace ({@code ip netns exec NS java -cp … NamespaceBackend
 * PORT NAME}): answers every path with its name on 127.0.0.1:PORT of that namespace. JDK classes only.
 */
public final class NamespaceBackend {
    private NamespaceBackend() {
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        byte[] body = args[1].getBytes(StandardCharsets.UTF_8);
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 256);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        System.out.println("backend " + args[1] + " listening on " + port);
    }
}
