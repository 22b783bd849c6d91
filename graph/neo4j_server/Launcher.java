// Runs Neo4j Community in-process with Bolt on: riskgraph's local Neo4j.
//
// Java's source-file mode runs it without a build step:
//   java -cp '<lib>/*' Launcher.java <password-file> <home> [<home> ...]
// Each <home> holds a neo4j.conf that riskgraph writes (Bolt address and port,
// memory, limits) and the store; each starts one DBMS in this JVM (riskgraph runs
// one, the test suite a small pool). The `neo4j` user's password is set from the
// password file on every start. "ready <home>" is printed as each DBMS answers and
// SIGTERM shuts them all down cleanly.

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.QueryExecutionException;

public class Launcher {
    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: Launcher <password-file> <home> [<home> ...]");
            System.exit(2);
        }
        String password = Files.readString(Path.of(args[0]), StandardCharsets.UTF_8).strip();
        List<DatabaseManagementService> services = new CopyOnWriteArrayList<>();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            services.parallelStream().forEach(DatabaseManagementService::shutdown);
            System.out.println("stopped");
        }));
        for (int i = 1; i < args.length; i++) {
            Path home = Path.of(args[i]);
            DatabaseManagementService service = new DatabaseManagementServiceBuilder(home)
                .loadPropertiesFromFile(home.resolve("neo4j.conf"))
                .build();
            services.add(service);
            try {
                setPassword(service, password);
            } catch (RuntimeException error) {
                error.printStackTrace();
                System.exit(1);
            }
            System.out.println("ready " + home);
        }
        new CountDownLatch(1).await();
    }

    private static void setPassword(DatabaseManagementService service, String password) {
        try {
            service.database("system").executeTransactionally(
                "ALTER USER neo4j SET PASSWORD $password CHANGE NOT REQUIRED",
                Map.of("password", password));
        } catch (QueryExecutionException error) {
            if (!String.valueOf(error.getMessage()).contains("cannot be the same")) {
                throw error;
            }
        }
    }
}
