package io.ponte.cli;

import io.quarkus.runtime.QuarkusApplication;
import jakarta.enterprise.inject.spi.CDI;
import java.util.Arrays;
import java.util.List;

/**
 * The application a tool command boots instead of the server: runs the {@link Tool} its first
 * argument names with the rest, and exits with the tool's status (2 when no such tool is there).
 */
public class ToolApplication implements QuarkusApplication {

  @Override
  public int run(String... args) throws Exception {
    List<String> rest = Arrays.asList(args).subList(1, args.length);
    for (Tool tool : CDI.current().select(Tool.class)) {
      if (tool.name().equals(args[0])) {
        return tool.run(rest, System.out);
      }
    }
    System.err.println("no tool " + args[0] + " in this role");
    return 2;
  }
}
