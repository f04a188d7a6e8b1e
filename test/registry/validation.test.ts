import t from 'tap';
import { createRegistry, isConfigMapKey, validateName, type FieldError, type KubeObject, type ResourceType } from '../../src/registry/index.js';

const registry = createRegistry();
const rt = (group: string, plural: string): ResourceType => registry.all().find((r) => r.group === group && r.plural === plural)!;

const SUBDOMAIN =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const LABEL =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const DNS1035 =
  "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";

t.test('name rules with upstream messages', async (t) => {
  const cases: [string, Parameters<typeof validateName>[0], string, string[]][] = [
    ['valid subdomain', 'dns1123-subdomain', 'web.example-1', []],
    ['upper case', 'dns1123-subdomain', 'Web', [SUBDOMAIN]],
    ['trailing dash', 'dns1123-subdomain', 'web-', [SUBDOMAIN]],
    ['underscore', 'dns1123-subdomain', 'my_app', [SUBDOMAIN]],
    ['253 characters', 'dns1123-subdomain', 'a'.repeat(253), []],
    ['254 characters', 'dns1123-subdomain', 'a'.repeat(254), ['must be no more than 253 characters']],
    ['too long and invalid', 'dns1123-subdomain', `${'A'.repeat(254)}`, ['must be no more than 253 characters', SUBDOMAIN]],
    ['valid label', 'dns1123-label', 'kube-system', []],
    ['label starting with a digit', 'dns1123-label', '123-abc', []],
    ['label with a dot', 'dns1123-label', 'a.b', [LABEL]],
    ['64-character label', 'dns1123-label', 'a'.repeat(64), ['must be no more than 63 characters']],
    ['service name', 'dns1035-label', 'web', []],
    ['service name starting with a digit', 'dns1035-label', '1web', [DNS1035]],
    ['service name with a dot', 'dns1035-label', 'no-domain.com', [DNS1035]],
    ['path segment', 'path-segment', 'system:controller:job-controller', []],
    ['path segment with upper case', 'path-segment', 'Admin', []],
    ['dot', 'path-segment', '.', ["may not be '.'"]],
    ['dot dot', 'path-segment', '..', ["may not be '..'"]],
    ['slash', 'path-segment', 'a/b', ["may not contain '/'"]],
    ['slash and percent', 'path-segment', 'a/%b', ["may not contain '/'", "may not contain '%'"]],
  ];
  for (const [what, rule, name, want] of cases) t.strictSame(validateName(rule, name), want, what);
});

t.test('config keys', async (t) => {
  t.strictSame(isConfigMapKey('app.properties'), []);
  t.strictSame(isConfigMapKey('bad key'), [
    "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')",
  ]);
  t.strictSame(isConfigMapKey('..data'), ["must not start with '..'"]);
  t.strictSame(isConfigMapKey('.'), ["must not be '.'"]);
});

const validate = (type: ResourceType, object: KubeObject, ctx = { allocateClusterIP: () => '10.152.183.5' }): FieldError[] => {
  const copy = structuredClone(object);
  type.defaults?.(copy, ctx);
  return type.validate?.(copy) ?? [];
};

t.test('pods: containers with a name and an image', async (t) => {
  const pods = rt('', 'pods');
  t.strictSame(validate(pods, { metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'nginx' }] } }), []);
  t.strictSame(validate(pods, { metadata: { name: 'p' }, spec: {} }), [{ reason: 'FieldValueRequired', field: 'spec.containers', message: 'Required value' }]);
  t.strictSame(validate(pods, { metadata: { name: 'p' }, spec: { containers: [{ name: 'c' }] } }), [
    { reason: 'FieldValueRequired', field: 'spec.containers[0].image', message: 'Required value' },
  ]);
  t.strictSame(
    validate(pods, {
      spec: {
        restartPolicy: 'Sometimes',
        containers: [
          { name: 'Web', image: 'x', ports: [{ containerPort: 70000 }], volumeMounts: [{ name: 'data', mountPath: '/data' }] },
          { name: 'side', image: 'y' },
          { image: 'z' },
        ],
        initContainers: [{ name: 'side', image: 'i' }],
      },
    }),
    [
      { reason: 'FieldValueInvalid', field: 'spec.containers[0].name', message: `Invalid value: "Web": ${LABEL}` },
      { reason: 'FieldValueInvalid', field: 'spec.containers[0].ports[0].containerPort', message: 'Invalid value: 70000: must be between 1 and 65535, inclusive' },
      { reason: 'FieldValueNotFound', field: 'spec.containers[0].volumeMounts[0].name', message: 'Not found: "data"' },
      { reason: 'FieldValueRequired', field: 'spec.containers[2].name', message: 'Required value' },
      { reason: 'FieldValueDuplicate', field: 'spec.initContainers[0].name', message: 'Duplicate value: "side"' },
      {
        reason: 'FieldValueNotSupported',
        field: 'spec.restartPolicy',
        message: 'Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"',
      },
    ],
  );
});

t.test('deployments: the selector must match the template labels', async (t) => {
  const deployments = rt('apps', 'deployments');
  const template = { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx' }] } };
  t.strictSame(validate(deployments, { spec: { selector: { matchLabels: { app: 'web' } }, template } }), []);
  t.strictSame(validate(deployments, { spec: { selector: { matchLabels: { app: 'api' } }, template } }), [
    {
      reason: 'FieldValueInvalid',
      field: 'spec.template.metadata.labels',
      message: 'Invalid value: map[string]string{"app":"web"}: `selector` does not match template `labels`',
    },
  ]);
  t.strictSame(validate(deployments, { spec: { template: { spec: template.spec } } }), [
    { reason: 'FieldValueRequired', field: 'spec.selector', message: 'Required value' },
    {
      reason: 'FieldValueInvalid',
      field: 'spec.template.metadata.labels',
      message: 'Invalid value: map[string]string(nil): `selector` does not match template `labels`',
    },
  ]);
  t.strictSame(validate(deployments, { spec: { selector: { matchLabels: {} }, template } }), [
    {
      reason: 'FieldValueInvalid',
      field: 'spec.selector',
      message: 'Invalid value: v1.LabelSelector{MatchLabels:map[string]string{}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for deployment',
    },
  ]);
  const expressions = { matchExpressions: [{ key: 'app', operator: 'In', values: ['web', 'api'] }] };
  t.strictSame(validate(deployments, { spec: { selector: expressions, template } }), [], 'matchExpressions select the template');
  t.strictSame(
    validate(deployments, { spec: { selector: { matchLabels: { app: 'web' } }, strategy: { type: 'Recreate', rollingUpdate: {} }, template: { ...template, spec: { ...template.spec, restartPolicy: 'Never' } } } }),
    [
      { reason: 'FieldValueNotSupported', field: 'spec.template.spec.restartPolicy', message: 'Unsupported value: "Never": supported values: "Always"' },
      { reason: 'FieldValueForbidden', field: 'spec.strategy.rollingUpdate', message: "Forbidden: may not be specified when strategy `type` is 'Recreate'" },
    ],
  );
  t.strictSame(
    validate(rt('apps', 'daemonsets'), { spec: { selector: {}, template } }).map((e) => e.message),
    ['Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for daemonset'],
  );
});

t.test('jobs and cron jobs: restart policy OnFailure or Never', async (t) => {
  const jobs = rt('batch', 'jobs');
  const spec = { template: { spec: { containers: [{ name: 'c', image: 'busybox' }] } } };
  t.strictSame(validate(jobs, { metadata: { name: 'j', uid: 'u' }, spec }), [
    { reason: 'FieldValueRequired', field: 'spec.template.spec.restartPolicy', message: 'Required value: valid values: "OnFailure", "Never"' },
  ]);
  t.strictSame(validate(jobs, { metadata: { name: 'j', uid: 'u' }, spec: { template: { spec: { ...spec.template.spec, restartPolicy: 'Never' } } } }), []);
  t.strictSame(
    validate(jobs, { metadata: { name: 'j', uid: 'u' }, spec: { template: { spec: { ...spec.template.spec, restartPolicy: 'Always' } } } }).map((e) => e.field),
    ['spec.template.spec.restartPolicy'],
  );
  t.strictSame(validate(jobs, { metadata: { name: 'j' }, spec: { template: { spec: { ...spec.template.spec, restartPolicy: 'Never' } } } }), [
    { reason: 'FieldValueRequired', field: 'spec.selector', message: 'Required value' },
  ]);
  t.strictSame(
    validate(jobs, { metadata: { name: 'j', uid: 'u' }, spec: { backoffLimit: -1, template: { spec: { ...spec.template.spec, restartPolicy: 'Bogus' } } } }).map((e) => e.message),
    ['Unsupported value: "Bogus": supported values: "OnFailure", "Never"', 'Invalid value: -1: must be greater than or equal to 0'],
  );
  const cronjobs = rt('batch', 'cronjobs');
  t.strictSame(validate(cronjobs, { metadata: { name: 'c'.repeat(53) }, spec: { jobTemplate: { spec: { template: { spec: { ...spec.template.spec, restartPolicy: 'OnFailure' } } } } } }), [
    { reason: 'FieldValueInvalid', field: 'metadata.name', message: `Invalid value: "${'c'.repeat(53)}": must be no more than 52 characters` },
    { reason: 'FieldValueRequired', field: 'spec.schedule', message: 'Required value' },
  ]);
  t.strictSame(validate(cronjobs, { metadata: { name: 'c' }, spec: { schedule: '@daily', jobTemplate: { spec } } }).map((e) => e.field), ['spec.jobTemplate.spec.template.spec.restartPolicy']);
});

t.test('services', async (t) => {
  const services = rt('', 'services');
  t.strictSame(validate(services, { spec: { ports: [{ port: 80 }] } }), []);
  t.strictSame(validate(services, { spec: { selector: { app: 'x' } } }), [{ reason: 'FieldValueRequired', field: 'spec.ports', message: 'Required value' }]);
  t.strictSame(validate(services, { spec: { clusterIP: 'None' } }), [], 'headless services need no ports');
  t.strictSame(
    validate(services, { spec: { type: 'Weird', ports: [{ port: 0, protocol: 'ICMP' }, { port: 80, name: 'Web' }] } }).map((e) => `${e.field}: ${e.message}`),
    [
      'spec.type: Unsupported value: "Weird": supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"',
      'spec.ports[0].name: Required value',
      'spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive',
      'spec.ports[0].protocol: Unsupported value: "ICMP": supported values: "SCTP", "TCP", "UDP"',
      'spec.ports[0].targetPort: Invalid value: 0: must be between 1 and 65535, inclusive',
      `spec.ports[1].name: Invalid value: "Web": ${LABEL}`,
    ],
  );
  t.strictSame(validate(services, { spec: { type: 'ExternalName' } }).map((e) => e.field), ['spec.externalName']);
  t.strictSame(validate(services, { spec: { ports: [{ port: 80, nodePort: 30080 }] } }).map((e) => e.message), ["Forbidden: may not be used when `type` is 'ClusterIP'"]);
});

t.test('config maps and secrets: keys and typed secrets', async (t) => {
  t.strictSame(validate(rt('', 'configmaps'), { data: { 'bad key': 'x', good: 'y' } }).map((e) => e.field), ['data[bad key]']);
  t.strictSame(validate(rt('', 'configmaps'), { data: { a: 'x' }, binaryData: { a: 'eA==' } }).map((e) => e.message), ['Invalid value: "a": duplicate of key present in data']);
  const secrets = rt('', 'secrets');
  t.strictSame(validate(secrets, { type: 'kubernetes.io/tls', data: { 'tls.crt': 'x' } }), [{ reason: 'FieldValueRequired', field: 'data[tls.key]', message: 'Required value' }]);
  t.strictSame(validate(secrets, { type: 'kubernetes.io/dockerconfigjson', data: {} }).map((e) => e.field), ['data[.dockerconfigjson]']);
  t.strictSame(validate(secrets, { type: 'kubernetes.io/basic-auth' }).map((e) => e.field), ['data[username]', 'data[password]']);
  t.strictSame(validate(secrets, { type: 'kubernetes.io/service-account-token' }).map((e) => e.field), ['metadata.annotations[kubernetes.io/service-account.name]']);
  t.strictSame(validate(secrets, { stringData: { '..x': 'y' } }).map((e) => e.message), [`Invalid value: "..x": must not start with '..'`]);
});

t.test('rbac', async (t) => {
  t.strictSame(validate(rt('rbac.authorization.k8s.io', 'roles'), { rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }] }), []);
  t.strictSame(validate(rt('rbac.authorization.k8s.io', 'roles'), { rules: [{ resources: ['pods'] }, { nonResourceURLs: ['/healthz'], verbs: ['get'] }] }), [
    { reason: 'FieldValueRequired', field: 'rules[0].verbs', message: 'Required value: verbs must contain at least one value' },
    { reason: 'FieldValueRequired', field: 'rules[0].apiGroups', message: 'Required value: resource rules must supply at least one api group' },
    { reason: 'FieldValueInvalid', field: 'rules[1].nonResourceURLs', message: 'Invalid value: []string{"/healthz"}: namespaced rules cannot apply to non-resource URLs' },
  ]);
  t.strictSame(validate(rt('rbac.authorization.k8s.io', 'clusterroles'), { rules: [{ nonResourceURLs: ['/healthz'], verbs: ['get'] }] }), []);
  const crb = rt('rbac.authorization.k8s.io', 'clusterrolebindings');
  t.strictSame(validate(crb, { roleRef: { kind: 'Role', name: 'r' }, subjects: [{ kind: 'ServiceAccount', name: 'sa' }, { kind: 'Robot', name: 'x' }] }), [
    { reason: 'FieldValueNotSupported', field: 'roleRef.kind', message: 'Unsupported value: "Role": supported values: "ClusterRole"' },
    { reason: 'FieldValueRequired', field: 'subjects[0].namespace', message: 'Required value' },
    { reason: 'FieldValueNotSupported', field: 'subjects[1].kind', message: 'Unsupported value: "Robot": supported values: "ServiceAccount", "User", "Group"' },
  ]);
  t.strictSame(validate(rt('rbac.authorization.k8s.io', 'rolebindings'), { roleRef: { kind: 'ClusterRole', name: 'view' }, subjects: [{ kind: 'Group', name: 'devs' }] }), []);
});

t.test('the smaller kinds', async (t) => {
  t.strictSame(validate(rt('', 'persistentvolumeclaims'), { spec: {} }).map((e) => `${e.field}: ${e.message}`), [
    'spec.accessModes: Required value: at least 1 access mode is required',
    'spec.resources[storage]: Required value',
  ]);
  t.strictSame(validate(rt('', 'persistentvolumes'), { spec: {} }).map((e) => e.field), ['spec.capacity']);
  t.strictSame(validate(rt('', 'replicationcontrollers'), { spec: { selector: { app: 'a' }, template: { metadata: { labels: { app: 'b' } }, spec: { containers: [{ name: 'c', image: 'i' }] } } } }).map((e) => e.field), [
    'spec.template.metadata.labels',
  ]);
  t.strictSame(validate(rt('networking.k8s.io', 'ingresses'), { spec: { rules: [{ http: { paths: [{ path: 'api', backend: {} }, { path: '/', pathType: 'Regex' }, { path: 'x', pathType: 'Prefix' }] } }] } }), [
    { reason: 'FieldValueRequired', field: 'spec.rules[0].http.paths[0].pathType', message: 'Required value: pathType must be specified' },
    { reason: 'FieldValueNotSupported', field: 'spec.rules[0].http.paths[1].pathType', message: 'Unsupported value: "Regex": supported values: "Exact", "ImplementationSpecific", "Prefix"' },
    { reason: 'FieldValueInvalid', field: 'spec.rules[0].http.paths[2].path', message: 'Invalid value: "x": must be an absolute path' },
  ]);
  t.strictSame(validate(rt('networking.k8s.io', 'ingressclasses'), { spec: {} }).map((e) => e.field), ['spec.controller']);
  t.strictSame(validate(rt('storage.k8s.io', 'storageclasses'), {}).map((e) => e.field), ['provisioner']);
  const pc = rt('scheduling.k8s.io', 'priorityclasses');
  t.strictSame(validate(pc, { metadata: { name: 'system-node-critical' }, value: 2000001000 }), []);
  t.strictSame(validate(pc, { metadata: { name: 'system-mine' }, value: 1 }).map((e) => e.message), ["Forbidden: priority class names with 'system-' prefix are reserved for system use only"]);
  t.strictSame(validate(pc, { metadata: { name: 'huge' }, value: 2000000000 }).map((e) => `${e.field}: ${e.message}`), ['value: Forbidden: maximum allowed value of a user defined priority is 1000000000']);
  t.strictSame(validate(rt('discovery.k8s.io', 'endpointslices'), {}).map((e) => e.field), ['addressType']);
  t.strictSame(validate(rt('discovery.k8s.io', 'endpointslices'), { addressType: 'IPv5' }).map((e) => e.reason), ['FieldValueNotSupported']);
  t.strictSame(validate(rt('autoscaling', 'horizontalpodautoscalers'), { spec: { minReplicas: 3, maxReplicas: 2 } }).map((e) => `${e.field}: ${e.message}`), [
    'spec.maxReplicas: Invalid value: 2: must be greater than or equal to `minReplicas`',
    'spec.scaleTargetRef.kind: Required value',
    'spec.scaleTargetRef.name: Required value',
  ]);
  t.strictSame(validate(rt('certificates.k8s.io', 'certificatesigningrequests'), { spec: {} }).map((e) => e.field), ['spec.request', 'spec.signerName', 'spec.usages']);
  t.strictSame(validate(rt('events.k8s.io', 'events'), { type: 'Odd' }).map((e) => `${e.field}: ${e.message}`), [
    'eventTime: Required value',
    'type: Invalid value: "": has invalid value: Odd',
    'reportingController: Required value',
    'reportingInstance: Required value',
    'action: Required value',
    'reason: Required value',
  ]);
  t.strictSame(validate(rt('', 'podtemplates'), { template: { spec: {} } }).map((e) => e.field), ['template.spec.containers']);
});
