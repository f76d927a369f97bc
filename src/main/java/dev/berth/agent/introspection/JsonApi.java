package dev.berth.agent.introspection;

/** A read-only JSON API as a function: method, path and raw query in, status and JSON out. */
public interface JsonApi {

    /** The answer to one request. */
    record Reply(int status, String json) {
    }

    Reply answer(String method, String path, String rawQuery);
}
