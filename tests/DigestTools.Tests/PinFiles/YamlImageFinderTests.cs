using System.Linq;
using DigestTools.Engine.PinFiles;
using Xunit;
using static DigestTools.Tests.PinFiles.PinFileTestText;

namespace DigestTools.Tests.PinFiles
{
    public class YamlImageFinderTests
    {
        private const string Compose =
            "# the stack\r\n" +
            "x-base: &base\r\n" +
            "  image: \"registry.example:5000/shared/base:1.0\"   # shared by two services\r\n" +
            "  restart: always\r\n" +
            "services:\r\n" +
            "  web:\r\n" +
            "    <<: *base\r\n" +
            "    ports: ['8080:80']\r\n" +
            "  worker:\r\n" +
            "    <<: *base\r\n" +
            "  api:\r\n" +
            "    image: ${REGISTRY:-registry.example:5000}/api:${TAG:-2.1}\r\n" +
            "    platform: linux/arm64\r\n" +
            "  db:\r\n" +
            "    image: 'postgres:16'\r\n" +
            "  cache: {image: redis, command: [\"redis-server\"]}\r\n" +
            "  custom:\r\n" +
            "    image: ${CUSTOM_IMAGE}\r\n" +
            "  built:\r\n" +
            "    build: .\r\n";

        [Fact]
        public void ComposeServicesAnchorsAndDefaults()
        {
            var sites = PinFileFormats.Find(PinFileFormat.Yaml, new PinFileText(Compose));
            Assert.Equal(new[]
            {
                "registry.example:5000/shared/base:1.0|registry.example:5000/shared/base:1.0||3|service web",
                "${REGISTRY:-registry.example:5000}/api:${TAG:-2.1}|registry.example:5000/api:2.1|linux/arm64|12|service api",
                "postgres:16|postgres:16||15|service db",
                "redis|redis||16|service cache",
                "${CUSTOM_IMAGE}|||18|service custom",
            }, sites.Select(s => $"{s.Text}|{s.Reference}|{s.Platform}|{s.Line}|{s.Context}"));
            Assert.Equal("the variable CUSTOM_IMAGE has no value in the file or its .env", sites[4].SkipReason);
        }

        [Fact]
        public void ComposeTakesItsProjectsEnvFileBeforeTheDefaults()
        {
            var envFile = new System.Collections.Generic.Dictionary<string, string>
            {
                ["REGISTRY"] = "mirror.example", ["TAG"] = "3.0", ["CUSTOM_IMAGE"] = "custom/app:9",
            };
            var sites = PinFileFormats.Find(PinFileFormat.Yaml, new PinFileText(Compose), () => envFile);
            Assert.Equal(new[] { "mirror.example/api:3.0", "custom/app:9" },
                sites.Where(s => s.Text.Contains("$")).Select(s => s.Reference));
            Assert.All(sites, s => Assert.Null(s.SkipReason));
        }

        [Fact]
        public void ComposeRewriteKeepsQuotesCommentsAnchorsAndCrLf()
        {
            string expected = Compose
                .Replace("shared/base:1.0\"", $"shared/base:1.0@{Digest}\"")
                .Replace("${TAG:-2.1}\r", $"${{TAG:-2.1}}@{Digest}\r")
                .Replace("'postgres:16'", $"'postgres:16@{Digest}'")
                .Replace("{image: redis,", $"{{image: redis:latest@{Digest},");
            Assert.Equal(Utf8(expected), Utf8(PinAll(PinFileFormat.Yaml, Compose)));
        }

        private const string Kubernetes =
            "apiVersion: v1\n" +
            "kind: Pod\n" +
            "metadata: {name: debug}\n" +
            "spec:\n" +
            "  initContainers:\n" +
            "  - name: init\n" +
            "    image: busybox:1.36\n" +
            "  containers:\n" +
            "  - {name: main, image: \"nginx:1.27\"}\n" +
            "  ephemeralContainers:\n" +
            "  - name: shell\n" +
            "    image: alpine:3.20 # debug shell\n" +
            "---\n" +
            "# a CronJob\n" +
            "apiVersion: batch/v1\n" +
            "kind: CronJob\n" +
            "metadata:\n" +
            "  name: nightly\n" +
            "spec:\n" +
            "  schedule: '0 3 * * *'\n" +
            "  jobTemplate:\n" +
            "    spec:\n" +
            "      template:\n" +
            "        spec:\n" +
            "          containers:\n" +
            "            - name: job\n" +
            "              image: registry.example:5000/jobs/report:3\n" +
            "---\n" +
            "apiVersion: v1\n" +
            "kind: List\n" +
            "items:\n" +
            "- apiVersion: apps/v1\n" +
            "  kind: Deployment\n" +
            "  metadata: {name: web}\n" +
            "  spec:\n" +
            "    template:\n" +
            "      spec:\n" +
            "        containers:\n" +
            "        - name: web\n" +
            "          image: >-\n" +
            "            folded/image:1\n" +
            "- apiVersion: v1\n" +
            "  kind: Service\n" +
            "  metadata: {name: web}\n" +
            "  spec: {ports: [{port: 80}]}\n" +
            "- apiVersion: apps/v1\n" +
            "  kind: StatefulSet\n" +
            "  metadata: {name: db}\n" +
            "  spec:\n" +
            "    template:\n" +
            "      spec:\n" +
            "        containers: [{name: db, image: postgres:16}]\n";

        [Fact]
        public void KubernetesWorkloadsCronJobsAndLists()
        {
            var sites = PinFileFormats.Find(PinFileFormat.Yaml, new PinFileText(Kubernetes));
            Assert.Equal(new[]
            {
                "busybox:1.36|7|Pod/debug initContainers[init]",
                "nginx:1.27|9|Pod/debug containers[main]",
                "alpine:3.20|12|Pod/debug ephemeralContainers[shell]",
                "registry.example:5000/jobs/report:3|27|CronJob/nightly containers[job]",
                "folded/image:1|40|Deployment/web containers[web]",
                "postgres:16|52|StatefulSet/db containers[db]",
            }, sites.Select(s => $"{s.Text}|{s.Line}|{s.Context}"));
            Assert.Equal("the YAML scalar is written in a style (block, folded or escaped) that cannot be rewritten in place", sites[4].SkipReason);
        }

        [Fact]
        public void AFoldedScalarEndingTheFileIsStillNotRewritten()
        {
            // With no line break after it, the folded value's characters are the file's last ones: only its style tells.
            var site = Assert.Single(PinFileFormats.Find(PinFileFormat.Yaml, new PinFileText("services:\n  web:\n    image: >-\n      folded/image:1")));
            Assert.Equal("the YAML scalar is written in a style (block, folded or escaped) that cannot be rewritten in place", site.SkipReason);
        }

        [Fact]
        public void KubernetesRewriteIsByteExact()
        {
            string expected = Kubernetes
                .Replace("busybox:1.36\n", $"busybox:1.36@{Digest}\n")
                .Replace("\"nginx:1.27\"", $"\"nginx:1.27@{Digest}\"")
                .Replace("alpine:3.20 #", $"alpine:3.20@{Digest} #")
                .Replace("report:3\n", $"report:3@{Digest}\n")
                .Replace("image: postgres:16}", $"image: postgres:16@{Digest}}}");
            Assert.Equal(Utf8(expected), Utf8(PinAll(PinFileFormat.Yaml, Kubernetes)));
        }

        [Fact]
        public void OnlyAComposeDocumentAsksForTheEnvFile()
        {
            int asked = 0;
            System.Collections.Generic.IReadOnlyDictionary<string, string> EnvFile()
            {
                asked++;
                return new System.Collections.Generic.Dictionary<string, string> { ["CUSTOM_IMAGE"] = "custom/app:9" };
            }
            Assert.Equal(6, PinFileFormats.Find(PinFileFormat.Yaml, new PinFileText(Kubernetes), EnvFile).Count);
            Assert.Empty(PinFileFormats.Find(PinFileFormat.Yaml, new PinFileText("name: ci\non: push\n"), EnvFile));
            Assert.Equal(0, asked);
            var sites = PinFileFormats.Find(PinFileFormat.Yaml, new PinFileText(Compose), EnvFile);
            Assert.Equal("custom/app:9", sites[4].Reference);
            Assert.Equal(1, asked);
        }

        [Theory]
        [InlineData("Pod", "spec")]
        [InlineData("PodTemplate", "template: {spec")]
        [InlineData("Deployment", "spec: {template: {spec")]
        [InlineData("StatefulSet", "spec: {template: {spec")]
        [InlineData("DaemonSet", "spec: {template: {spec")]
        [InlineData("ReplicaSet", "spec: {template: {spec")]
        [InlineData("ReplicationController", "spec: {template: {spec")]
        [InlineData("Job", "spec: {template: {spec")]
        [InlineData("CronJob", "spec: {jobTemplate: {spec: {template: {spec")]
        public void EachWorkloadKindHasItsPodSpec(string kind, string path)
        {
            int depth = path.Split('{').Length - 1;
            string text = $"kind: {kind}\nmetadata: {{name: w}}\n{path}: {{containers: [{{name: c, image: app:1}}]}}{new string('}', depth)}\n";
            var site = Assert.Single(PinFileFormats.Find(PinFileFormat.Yaml, new PinFileText(text)));
            Assert.Equal($"app:1|app:1|{kind}/w containers[c]", $"{site.Text}|{site.Reference}|{site.Context}");
            Assert.Equal(ImageSiteKind.KubernetesContainer, site.Kind);
            // The same pod spec under another kind's path is not a pod spec.
            string elsewhere = kind == "Pod" ? text.Replace("\nspec:", "\ntemplate:") : text.Replace("kind: " + kind, "kind: Pod");
            Assert.Empty(PinFileFormats.Find(PinFileFormat.Yaml, new PinFileText(elsewhere)));
        }

        [Fact]
        public void KubernetesObjectsWithoutImagesGiveNothing()
        {
            const string text =
                "kind: ConfigMapList\nitems: {a: b}\n---\n" +                          // a List whose items are not a sequence
                "kind: Service\nspec: {containers: [{name: c, image: not/a:pod}]}\n---\n" +
                "kind: Pod\nspec: {containers: {name: c, image: x:1}, initContainers: [{name: i}, {name: j, image: [x]}]}\n---\n" +
                "kind: PodList\nitems:\n- kind: Pod\n  metadata: {name: p}\n  spec: {containers: [{name: c, image: listed:1}]}\n---\n" +
                "kind: {nested: map}\nservices: {web: {image: compose:1}}\n";
            var site = Assert.Single(PinFileFormats.Find(PinFileFormat.Yaml, new PinFileText(text), () => throw new System.InvalidOperationException("no Compose document here")));
            Assert.Equal("listed:1|Pod/p containers[c]", $"{site.Text}|{site.Context}");
        }

        [Fact]
        public void MergeKeysFollowListsInOrderAndAWrittenKeyWins()
        {
            const string text =
                "x-a: &a {image: first:1, platform: linux/arm64}\n" +
                "x-b: &b {image: second:1, platform: linux/amd64}\n" +
                "services:\n" +
                "  both: {<<: [*a, *b]}\n" +
                "  second: {<<: [{restart: always}, *b]}\n" +
                "  own: {<<: *a, image: own:1}\n" +
                "  quoted: {'<<': *a}\n" +
                "  noimage: {<<: {build: .}}\n";
            var sites = PinFileFormats.Find(PinFileFormat.Yaml, new PinFileText(text));
            Assert.Equal(new[] { "first:1|linux/arm64|service both", "second:1|linux/amd64|service second", "own:1|linux/arm64|service own" },
                sites.Select(s => $"{s.Text}|{s.Platform}|{s.Context}"));
        }

        // compose-spec: with build, image names what the build produces; a digest there makes `docker compose build`
        // refuse to tag ("refusing to create a tag with a digest reference"), so such an image is no reference to pin.
        [Fact]
        public void AComposeServiceThatBuildsItsImageIsNotPinned()
        {
            const string text =
                "x-built: &built {build: .}\n" +
                "services:\n" +
                "  app: {build: ., image: registry.example/app:1}\n" +
                "  ctx:\n" +
                "    build:\n" +
                "      context: ./ctx\n" +
                "    image: \"ctx:2\"\n" +
                "  merged: {<<: *built, image: merged:3}\n" +
                "  reset: {build: !reset null, image: reset:4}\n" +
                "  empty: {build: , image: empty:5}\n" +
                "  plain: {image: plain:6}\n" +
                "  null: {build: null, image: null:7}\n" +
                "  tilde: {build: ~, image: tilde:8}\n" +
                "  quoted: {build: \"null\", image: quoted:9}\n";
            Assert.Equal(new[] { "reset:4|service reset", "empty:5|service empty", "plain:6|service plain", "null:7|service null", "tilde:8|service tilde" },
                PinFileFormats.Find(PinFileFormat.Yaml, new PinFileText(text)).Select(s => $"{s.Text}|{s.Context}"));
        }

        [Fact]
        public void AComposePlatformTakesItsVariablesFromTheEnvFile()
        {
            const string text = "services:\n  a: {image: app:1, platform: \"${PLATFORM}\"}\n  b: {image: app:2, platform: \"${ARCH:-linux/arm64}\"}\n  c: {image: app:3, platform: \"$NONE\"}\n";
            var sites = PinFileFormats.Find(PinFileFormat.Yaml, new PinFileText(text),
                () => new System.Collections.Generic.Dictionary<string, string> { ["PLATFORM"] = "linux/s390x" });
            Assert.Equal(new[] { "linux/s390x", "linux/arm64", null }, sites.Select(s => s.Platform));
            Assert.All(sites, s => Assert.Null(s.SkipReason));
        }

        // A Helm chart's templates are Go templates that often still parse as YAML: an image written as a template
        // expression is reported with what it is, even unquoted (then YAML reads a mapping), and nothing is rewritten.
        [Fact]
        public void TemplateExpressionsAreReportedNotPinned()
        {
            const string text =
                "kind: Deployment\n" +
                "metadata: {name: web}\n" +
                "spec:\n" +
                "  template:\n" +
                "    spec:\n" +
                "      containers:\n" +
                "      - name: a\n" +
                "        image: {{ .Values.image }}\n" +
                "      - name: b\n" +
                "        image: \"{{ .Values.repo }}:{{ .Values.tag }}\"\n" +
                "      - name: c\n" +
                "        image: repo/app:{{ .Chart.AppVersion }}\n" +
                "      - name: d\n" +
                "        image: {name: not-a-template}\n" +
                "      - name: e\n" +
                "        image: nginx:1\n";
            const string reason = "the reference is a template expression ({{ }}), filled in only when the template is rendered";
            Assert.Equal(new[]
            {
                $"{{{{ .Values.image }}}}||8|{reason}",
                $"{{{{ .Values.repo }}}}:{{{{ .Values.tag }}}}||10|{reason}",
                $"repo/app:{{{{ .Chart.AppVersion }}}}||12|{reason}",
                "nginx:1|nginx:1|16|",
            }, PinFileFormats.Find(PinFileFormat.Yaml, new PinFileText(text)).Select(s => $"{s.Text}|{s.Reference}|{s.Line}|{s.SkipReason}"));
            Assert.Equal(Utf8(text.Replace("nginx:1", $"nginx:1@{Digest}")), Utf8(PinAll(PinFileFormat.Yaml, text)));
        }

        [Fact]
        public void EscapedDoubleQuotedScalarIsNotRewritten()
        {
            const string text = "kind: Pod\nspec:\n  containers:\n  - image: \"nginx\\x3A1\"\n";
            var site = Assert.Single(PinFileFormats.Find(PinFileFormat.Yaml, new PinFileText(text)));
            Assert.Equal("nginx:1", site.Text);
            Assert.NotNull(site.SkipReason);
        }

        [Fact]
        public void YamlWithoutImagesFindsNothingAndBrokenYamlThrows()
        {
            Assert.Empty(PinFileFormats.Find(PinFileFormat.Yaml, new PinFileText("name: ci\non: push\n")));
            Assert.ThrowsAny<YamlDotNet.Core.YamlException>(() => PinFileFormats.Find(PinFileFormat.Yaml, new PinFileText("a: [b\n")));
        }
    }
}
