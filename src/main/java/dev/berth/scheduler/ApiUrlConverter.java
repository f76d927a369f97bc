package dev.berth.scheduler;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import org.eclipse.microprofile.config.spi.Converter;

/**
 * A replica's advertised API URL: {@code http} or {@code https}, a host, an optional port,
 * nothing after. Other replicas forward writes to it with the caller's request path (and
 * SigV4 signature) appended, so a trailing slash, a path or a missing scheme would break every
 * forwarded write: such a value stops start-up, naming the setting. Given back without a
 * trailing slash.
 */
public final class ApiUrlConverter implements Converter<String> {

    @Override
    public String convert(String value) {
        String url = bracketed(value.strip());
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw refused(url, "it is not a URL (" + e.getReason() + ")");
        }
        String scheme = uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!"http".equals(scheme) && !"https".equals(scheme)) {
            throw refused(url, "it needs the scheme http:// or https://");
        }
        if (uri.getHost() == null) {
            throw refused(url, "it names no host");
        }
        String path = uri.getRawPath();
        if (path != null && !path.isEmpty() && !path.chars().allMatch(c -> c == '/')
                || uri.getRawQuery() != null || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
            throw refused(url, "it must be the scheme, host and port only: the ECS API answers at its root");
        }
        return scheme + "://" + uri.getRawAuthority();
    }

    /**
     * An IPv6 address written without brackets ({@code http://fd00::1:8080}, as a pod IP put in
     * a template gives it), bracketed: the last colon's part is the port.
     */
    private static String bracketed(String url) {
        int start = url.indexOf("://");
        if (start < 0) {
            return url;
        }
        int end = url.indexOf('/', start + 3);
        String authority = end < 0 ? url.substring(start + 3) : url.substring(start + 3, end);
        if (authority.contains("[") || authority.chars().filter(c -> c == ':').count() < 2) {
            return url;
        }
        int port = authority.lastIndexOf(':');
        String host = authority.substring(0, port);
        String rest = end < 0 ? "" : url.substring(end);
        return url.substring(0, start + 3) + "[" + host + "]" + authority.substring(port) + rest;
    }

    private static IllegalArgumentException refused(String url, String why) {
        return new IllegalArgumentException("berth.scheduler.advertised-url (BERTH_SCHEDULER_ADVERTISED_URL) " + url
                + ": " + why + ", e.g. http://scheduler-1.example.internal:8080");
    }
}
