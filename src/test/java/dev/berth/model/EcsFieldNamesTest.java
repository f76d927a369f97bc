package dev.berth.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkField;
import software.amazon.awssdk.core.SdkPojo;
import software.amazon.awssdk.core.protocol.MarshallingType;
import software.amazon.awssdk.core.traits.ListTrait;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.RegisterTaskDefinitionRequest;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;

/** The names Berth takes are ECS's: each shape is held to the AWS SDK's model of it, nested objects included. */
class EcsFieldNamesTest {

    @Test
    void everyShapeHasExactlyTheFieldsAndNestedShapesOfTheSdksModel() {
        // Given
        EcsFieldNames.Shape task = EcsFieldNames.shapes().get(0);
        EcsFieldNames.Shape container = EcsFieldNames.shapes().get(1);

        // Then
        assertThat(task.fields()).containsAll(names(RegisterTaskDefinitionRequest.builder().build()))
                .containsAll(names(TaskDefinition.builder().build()));
        // the task's containers are each checked as a container definition
        assertMatches(task, List.of(RegisterTaskDefinitionRequest.builder().build(), TaskDefinition.builder().build()),
                "task", Set.of("containerDefinitions"));
        assertMatches(container, List.of(ContainerDefinition.builder().build()), "container", Set.of());
        assertThat(container.fields()).isEqualTo(names(ContainerDefinition.builder().build()));
    }

    /** Each field of {@code shape} that holds objects has the SDK's nested shape, with exactly its fields. */
    private static void assertMatches(EcsFieldNames.Shape shape, List<SdkPojo> models, String path,
            Set<String> excluded) {
        Map<String, SdkField<?>> objectFields = new TreeMap<>();
        models.forEach(model -> model.sdkFields().stream()
                .filter(f -> nested(f) != null && !excluded.contains(f.locationName()))
                .forEach(f -> objectFields.put(f.locationName(), f)));
        assertThat(shape.objects().keySet()).as(path).containsExactlyInAnyOrderElementsOf(objectFields.keySet());
        for (SdkField<?> field : objectFields.values()) {
            SdkPojo inner = nested(field);
            EcsFieldNames.Shape innerShape = shape.objects().get(field.locationName());
            String innerPath = path + "." + field.locationName();
            assertThat(innerShape.name()).as(innerPath).isEqualTo(inner.getClass().getEnclosingClass().getSimpleName());
            assertThat(innerShape.fields()).as(innerPath).isEqualTo(names(inner));
            assertMatches(innerShape, List.of(inner), innerPath, Set.of());
        }
    }

    /** The (empty builder of the) object a field holds, itself or in a list; null for any other value. */
    private static SdkPojo nested(SdkField<?> field) {
        Supplier<SdkPojo> constructor = null;
        if (field.marshallingType() == MarshallingType.SDK_POJO) {
            constructor = field.constructor();
        } else if (field.marshallingType() == MarshallingType.LIST) {
            SdkField<?> member = field.getTrait(ListTrait.class).memberFieldInfo();
            constructor = member.marshallingType() == MarshallingType.SDK_POJO ? member.constructor() : null;
        }
        return constructor == null ? null : constructor.get();
    }

    private static Set<String> names(SdkPojo model) {
        return model.sdkFields().stream().map(SdkField::locationName).collect(Collectors.toCollection(HashSet::new));
    }
}
