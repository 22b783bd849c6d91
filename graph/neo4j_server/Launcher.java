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
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.graphdb.QueryExecutionException;

public class Launcher {
    private static final String DEFAULT_DATABASE = "neo4j";

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
            // A damaged store leaves the DBMS up and its database down: that is a failed start.
            String failure = awaitDatabase(service);
            if (failure != null) {
                System.err.println("the database of " + home + " did not start: " + failure
                    + " (see " + home.resolve("logs").resolve("debug.log") + ")");
                System.exit(1);
            }
            System.out.println("ready " + home);
        }
        new CountDownLatch(1).await();
    }

    /** Null once the user database is available, else why it is not. */
    private static String awaitDatabase(DatabaseManagementService service) {
        GraphDatabaseService database = service.database(DEFAULT_DATABASE);
        for (int attempt = 0; attempt < 600; attempt++) {
            if (database.isAvailable(200)) {
                return null;
            }
            Map<String, Object> state = service.database("system").executeTransactionally(
                "SHOW DATABASE " + DEFAULT_DATABASE + " YIELD currentStatus, statusMessage",
                Map.of(), result -> result.hasNext() ? result.next() : Map.of());
            Object status = state.get("currentStatus");
            if (status != null && !"starting".equals(status) && !"online".equals(status)) {
                return status + ": " + state.get("statusMessage");
            }
        }
        return "not available after 120 s";
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
