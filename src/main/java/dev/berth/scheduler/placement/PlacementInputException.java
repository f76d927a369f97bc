package dev.berth.scheduler.placement;

/**
 * A placement constraint, strategy or query expression that is not valid ECS input. The API
 * answers it as ECS {@code InvalidParameterException} with this message, which names the
 * parameter (and, for an expression, the position).
 */
public class PlacementInputException extends RuntimeException {

    public PlacementInputException(String message) {
        super(message);
    }
}
