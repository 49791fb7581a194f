import io.ballast.model.snapshot.ConfigSnapshot;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Benchmark helper for propagation.sh: reads a snapshot's JSON on stdin and prints the median time,
 * in milliseconds, to build its canonical form and SHA-256 hash the way the control plane does when it
 * records a revision (after warm-up in this JVM).
 */
public class BuildAndHash {
    public static void main(String[] args) throws Exception {
        String json = new String(System.in.readAllBytes(), StandardCharsets.UTF_8);
        int rounds = 15;
        double[] millis = new double[rounds];
        String hash = null;
        for (int i = -5; i < rounds; i++) {
            long start = System.nanoTime();
            ConfigSnapshot snapshot = ConfigSnapshot.fromJson(json).canonical();
            hash = ConfigSnapshot.sha256(snapshot.canonicalJson());
            if (i >= 0) {
                millis[i] = (System.nanoTime() - start) / 1e6;
            }
        }
        Arrays.sort(millis);
        System.out.printf("%.1f %s%n", millis[rounds / 2], hash.substring(0, 12));
    }
}
