package io.garden.common.service;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.joran.spi.JoranException;
import org.slf4j.LoggerFactory;

import java.net.URL;
import java.util.Map;

/**
 * How a long-running component logs, however it was started (an image, {@code garden gateway}, {@code garden
 * worker}): one line per event on standard output at {@code GARDEN_LOG_LEVEL} (INFO), as text or, with
 * {@code GARDEN_LOG_FORMAT=json}, as one JSON object per line. The short CLI commands keep their quiet setup.
 */
public final class ServiceLogging {

  static final String TEXT = "garden-service-logback.xml";
  static final String JSON = "garden-service-logback-json.xml";

  private ServiceLogging() {
  }

  /** The configuration resource {@code env} asks for; an unknown format is a configuration error. */
  static String resource(Map<String, String> env) {
    String format = env.getOrDefault("GARDEN_LOG_FORMAT", "text").trim();
    return switch (format) {
      case "text", "" -> TEXT;
      case "json" -> JSON;
      default -> throw new IllegalArgumentException("GARDEN_LOG_FORMAT is text or json, not '" + format + "'");
    };
  }

  /** The level {@code env} asks for (INFO when unset); an unknown level is a configuration error. */
  static String level(Map<String, String> env) {
    String level = env.getOrDefault("GARDEN_LOG_LEVEL", "INFO").trim().toUpperCase(java.util.Locale.ROOT);
    if (!java.util.List.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR", "OFF").contains(level)) {
      throw new IllegalArgumentException("GARDEN_LOG_LEVEL is one of TRACE, DEBUG, INFO, WARN, ERROR, OFF, not '"
          + env.get("GARDEN_LOG_LEVEL") + "'");
    }
    return level;
  }

  /** Before anything logs: the property the logging library reads when it starts (the images' Main). */
  public static void selectAtStart(Map<String, String> env) {
    // Read (and checked) whether or not logging is set up yet: a wrong value is refused either way.
    String resource = resource(env);
    String level = level(env);
    if (System.getProperty("logback.configurationFile") == null) {
      // The level from the environment this service was given, which the configuration resolves before the
      // process's own.
      System.setProperty("GARDEN_LOG_LEVEL", level);
      System.setProperty("logback.configurationFile", resource);
    }
  }

  /** Now, in a process whose logging is set up already (the CLI turning into a service). */
  public static void reconfigure(Map<String, String> env) {
    URL config = ServiceLogging.class.getClassLoader().getResource(resource(env));
    if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context) || config == null) {
      return;
    }
    context.putProperty("GARDEN_LOG_LEVEL", level(env));
    context.reset();
    JoranConfigurator configurator = new JoranConfigurator();
    configurator.setContext(context);
    try {
      configurator.doConfigure(config);
    } catch (JoranException e) {
      throw new IllegalStateException("cannot set up logging from " + config + ": " + e.getMessage(), e);
    }
  }
}
