{{/* The chart's name. */}}
{{- define "berth.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* The release's full name: the prefix of every object. */}}
{{- define "berth.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else if contains (include "berth.name" .) .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name (include "berth.name" .) | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "berth.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
app.kubernetes.io/name: {{ include "berth.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: berth
{{- end -}}

{{/* Selector labels of one component: pass (dict "root" $ "component" "scheduler"). */}}
{{- define "berth.selectorLabels" -}}
app.kubernetes.io/name: {{ include "berth.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{- define "berth.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) -}}
{{- end -}}

{{- define "berth.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "berth.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/* Kafka's security.protocol follows from kafka.tls.enabled and kafka.sasl.enabled. */}}
{{- define "berth.kafkaSecurityProtocol" -}}
{{- $transport := ternary "SSL" "PLAINTEXT" .Values.kafka.tls.enabled -}}
{{- if .Values.kafka.sasl.enabled -}}
{{- printf "SASL_%s" $transport -}}
{{- else -}}
{{- $transport -}}
{{- end -}}
{{- end -}}

{{- define "berth.truststoreEnabled" -}}
{{- if and .Values.kafka.tls.enabled .Values.kafka.tls.truststore.secretName -}}true{{- end -}}
{{- end -}}

{{/* Whether any credential is needed, and so a credentials Secret. */}}
{{- define "berth.needsSecret" -}}
{{- if or .Values.kafka.sasl.enabled (include "berth.truststoreEnabled" .) .Values.api.auth.enabled -}}true{{- end -}}
{{- end -}}

{{- define "berth.secretName" -}}
{{- default (include "berth.fullname" .) .Values.existingSecret -}}
{{- end -}}

{{- define "berth.truststoreDir" -}}/etc/berth/kafka-truststore{{- end -}}

{{/* The java command line: the image's java, temporary files in the /tmp volume. */}}
{{- define "berth.command" -}}
- java
- -Djava.io.tmpdir=/tmp
- -Djna.tmpdir=/tmp
{{- range .javaOpts }}
- {{ . | quote }}
{{- end }}
- -jar
- /opt/berth/quarkus-app/quarkus-run.jar
{{- end -}}

{{/*
Credentials from the Secret, as env entries, for the scheduler and the agent: called with
(dict "root" $ "agent" true|false); the agents' login is their own with kafka.sasl.agentOwnPrincipal.
*/}}
{{- define "berth.kafkaSecretEnv" -}}
{{- $agentKey := and .agent .root.Values.kafka.sasl.agentOwnPrincipal -}}
{{- with .root }}
{{- if .Values.kafka.sasl.enabled }}
- name: BERTH_KAFKA_SASL_JAAS_CONFIG
  valueFrom:
    secretKeyRef:
      name: {{ include "berth.secretName" . }}
      key: {{ ternary "kafka-sasl-agent-jaas-config" "kafka-sasl-jaas-config" $agentKey }}
{{- end }}
{{- if include "berth.truststoreEnabled" . }}
- name: BERTH_KAFKA_SSL_TRUSTSTORE_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ include "berth.secretName" . }}
      key: kafka-truststore-password
{{- end }}
{{- end }}
{{- end -}}

{{- define "berth.truststoreVolumeMount" -}}
{{- if include "berth.truststoreEnabled" . }}
- name: kafka-truststore
  mountPath: {{ include "berth.truststoreDir" . }}
  readOnly: true
{{- end }}
{{- end -}}

{{- define "berth.truststoreVolume" -}}
{{- if include "berth.truststoreEnabled" . }}
- name: kafka-truststore
  secret:
    secretName: {{ .Values.kafka.tls.truststore.secretName }}
    items:
      - key: {{ .Values.kafka.tls.truststore.key }}
        path: {{ .Values.kafka.tls.truststore.key }}
{{- end }}
{{- end -}}

{{/* Restart the pods when their settings change. */}}
{{- define "berth.checksums" -}}
checksum/config: {{ include (print .Template.BasePath "/configmap.yaml") . | sha256sum }}
{{- if and (include "berth.needsSecret" .) (not .Values.existingSecret) }}
checksum/secret: {{ include (print .Template.BasePath "/secret.yaml") . | sha256sum }}
{{- end }}
{{- end -}}
