package dev.berth.model;

/** {@code distinctInstance} or {@code memberOf} with a cluster query expression. */
public record PlacementConstraint(String type, String expression) {

    /**
     * The constraint as a record kept from an earlier version holds it: a distinctInstance with
     * the empty expression, which Berth once accepted and ECS refuses, reads as one without, so
     * a service created then is still placed.
     */
    public PlacementConstraint asKept() {
        return "distinctInstance".equals(type) && expression != null && expression.isEmpty()
                ? new PlacementConstraint(type, null) : this;
    }
}
