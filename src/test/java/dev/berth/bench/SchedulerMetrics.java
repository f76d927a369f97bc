package dev.berth.bench;

import dev.berth.e2e.BerthProcess;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The scheduler's Prometheus metrics, for the benchmark to wait on: unlike DescribeClusters,
 * a scrape does not walk every instance, so waiting does not load what is measured.
 */
final class SchedulerMetrics {

    private final URI metrics;
    private final HttpClient http = HttpClient.newHttpClient();

    SchedulerMetrics(BerthProcess scheduler) {
        this.metrics = URI.create("http://127.0.0.1:" + scheduler.managementPort() + "/q/metrics");
    }

    /** Tasks the scheduler holds in {@code status} (berth_tasks), or -1 when unknown. */
    double tasks(String status) {
        return value("berth_tasks{role=\"scheduler\",status=\"" + status + "\"}");
    }

    /** Records the state reader is behind on {@code topic} (berth_consumer_lag_records), or -1 when unknown. */
    double lag(String topic) {
        return value("berth_consumer_lag_records{reader=\"berth-scheduler-state\",topic=\"" + topic + "\"}");
    }

    private double value(String series) {
        try {
            String text = http.send(HttpRequest.newBuilder(metrics).timeout(Duration.ofSeconds(10)).GET().build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            for (String line : text.split("\n")) {
                if (line.startsWith(series + " ")) {
                    return Double.parseDouble(line.substring(series.length() + 1).trim());
                }
            }
            return -1;
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }
}
