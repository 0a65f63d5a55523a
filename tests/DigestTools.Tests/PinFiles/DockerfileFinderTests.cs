using System.Linq;
using DigestTools.Engine.PinFiles;
using Xunit;
using static DigestTools.Tests.PinFiles.PinFileTestText;

namespace DigestTools.Tests.PinFiles
{
    public class DockerfileFinderTests
    {
        private const string MultiStage =
            "# syntax=docker/dockerfile:1\n" +
            "ARG BASE=registry.example:5000/base/alpine:3.20\n" +
            "ARG GO_VERSION=1.22\n" +
            "ARG UNSET\n" +
            "FROM --platform=$BUILDPLATFORM golang:${GO_VERSION} AS build\n" +
            "# FROM commented/out:1\n" +
            "RUN --mount=type=cache,target=/root/.cache,from=cache/image:7 \\\n" +
            "    go build ./...\n" +
            "COPY --from=tools/linter:2.0 /bin/lint /bin/lint\n" +
            "RUN <<EOF\n" +
            "FROM inside/heredoc:1\n" +
            "EOF\n" +
            "FROM ${BASE} AS runtime\n" +
            "COPY --from=build /out /app\n" +
            "COPY --from=0 /out /app2\n" +
            "FROM --platform=linux/arm64 \\\n" +
            "  busybox:1.36\n" +
            "FROM scratch\n" +
            "FROM runtime\n" +
            "FROM ${UNSET}/app:1\n" +
            "FROM nginx@sha256:2222222222222222222222222222222222222222222222222222222222222222\n" +
            "from ubuntu\n";

        [Fact]
        public void FindsEveryImageWithContext()
        {
            var sites = PinFileFormats.Find(PinFileFormat.Dockerfile, new PinFileText(MultiStage));
            Assert.Equal(new[]
            {
                "golang:${GO_VERSION}|golang:1.22||5|FROM (stage build)",
                "cache/image:7|cache/image:7||7|RUN --mount from in FROM (stage build)",
                "tools/linter:2.0|tools/linter:2.0||9|COPY --from in FROM (stage build)",
                "${BASE}|registry.example:5000/base/alpine:3.20||13|FROM (stage runtime)",
                "busybox:1.36|busybox:1.36|linux/arm64|17|FROM (stage 2)",
                "${UNSET}/app:1|||20|FROM (stage 5)",
                "nginx@sha256:2222222222222222222222222222222222222222222222222222222222222222|nginx@sha256:2222222222222222222222222222222222222222222222222222222222222222||21|FROM (stage 6)",
                "ubuntu|ubuntu||22|FROM (stage 7)",
            }, sites.Select(s => $"{s.Text}|{s.Reference}|{s.Platform}|{s.Line}|{s.Context}"));
            Assert.Equal("the variable UNSET has no default in the file", sites[5].SkipReason);
            Assert.All(sites.Where(s => s != sites[5]), s => Assert.Null(s.SkipReason));
        }

        [Fact]
        public void RewritesOnlyTheReferences()
        {
            string expected = MultiStage
                .Replace("golang:${GO_VERSION} AS", $"golang:${{GO_VERSION}}@{Digest} AS")
                .Replace("from=cache/image:7 ", $"from=cache/image:7@{Digest} ")
                .Replace("tools/linter:2.0 ", $"tools/linter:2.0@{Digest} ")
                .Replace("FROM ${BASE} AS", $"FROM ${{BASE}}@{Digest} AS")
                .Replace("busybox:1.36\n", $"busybox:1.36@{Digest}\n")
                .Replace("nginx@sha256:2222222222222222222222222222222222222222222222222222222222222222", $"nginx@{Digest}")
                .Replace("from ubuntu", $"from ubuntu:latest@{Digest}");
            Assert.Equal(Utf8(expected), Utf8(PinAll(PinFileFormat.Dockerfile, MultiStage)));
        }

        [Fact]
        public void BacktickEscapeAndCrLfAreHonoured()
        {
            const string text = "# escape=`\r\nFROM --platform=linux/amd64 `\r\n  # a comment inside the continuation\r\n  alpine:3.20 AS a\r\nRUN echo done \\\r\nFROM alpine:3.19\r\n";
            var sites = PinFileFormats.Find(PinFileFormat.Dockerfile, new PinFileText(text));
            // "RUN echo done \" does not continue under the backtick escape, so the last FROM is an instruction.
            Assert.Equal(new[] { "alpine:3.20|4|3", "alpine:3.19|6|6" }, sites.Select(s => $"{s.Text}|{s.Line}|{s.Column}"));
            Assert.Equal("linux/amd64", sites[0].Platform);
            string expected = text.Replace("alpine:3.20 AS", $"alpine:3.20@{Digest} AS").Replace("alpine:3.19\r", $"alpine:3.19@{Digest}\r");
            Assert.Equal(Utf8(expected), Utf8(PinAll(PinFileFormat.Dockerfile, text)));
        }

        [Fact]
        public void HeredocBodiesWithDashAndQuotesAreNotInstructions()
        {
            const string text = "FROM a:1\nCOPY <<-\"END\" /x\n\tFROM b:1\n\tEND\nRUN <<ONE cat && <<TWO cat\nFROM c:1\nONE\nFROM d:1\nTWO\nFROM e:1\n";
            var sites = PinFileFormats.Find(PinFileFormat.Dockerfile, new PinFileText(text));
            Assert.Equal(new[] { "a:1", "e:1" }, sites.Select(s => s.Text));
        }

        [Fact]
        public void ReferenceSplitByContinuationIsReportedNotRewritten()
        {
            const string text = "FROM alpine:\\\n3.20\n";
            var site = Assert.Single(PinFileFormats.Find(PinFileFormat.Dockerfile, new PinFileText(text)));
            Assert.Equal("alpine:3.20", site.Reference);
            Assert.Equal("the reference is split across lines by a line continuation", site.SkipReason);
        }

        [Theory]
        [InlineData("BUILDPLATFORM")]
        [InlineData("BUILDOS")]
        [InlineData("BUILDARCH")]
        [InlineData("BUILDVARIANT")]
        [InlineData("TARGETPLATFORM")]
        [InlineData("TARGETOS")]
        [InlineData("TARGETARCH")]
        [InlineData("TARGETVARIANT")]
        public void BuildPlatformVariableInReferenceIsLeftToTheBuild(string name)
        {
            var site = Assert.Single(PinFileFormats.Find(PinFileFormat.Dockerfile, new PinFileText($"FROM tools-${name}:1\n")));
            Assert.Equal($"the reference uses ${name}, which only the build defines", site.SkipReason);
        }

        [Theory]
        [InlineData("ARG V=aba", "imgaba:1")]
        [InlineData("ARG V=\"\"", "img:1")]
        [InlineData("ARG V=", "img:1")]
        [InlineData("ARG V='b'", "imgb:1")]
        public void GlobalArgValueQuotesAreRemovedOnlyWhenTheyEnclose(string arg, string reference)
        {
            var site = Assert.Single(PinFileFormats.Find(PinFileFormat.Dockerfile, new PinFileText(arg + "\nFROM img${V}:1\n")));
            Assert.Equal(reference, site.Reference);
        }

        [Fact]
        public void ByteSpansCountUtf8BytesAndTheByteOrderMark()
        {
            byte[] bytes = Utf8("# café ☕\nFROM alpine:3.20\n");
            byte[] withBom = new byte[] { 0xEF, 0xBB, 0xBF }.Concat(bytes).ToArray();
            var file = PinFileText.Decode(withBom);
            var site = Assert.Single(PinFileFormats.Find(PinFileFormat.Dockerfile, file));
            Assert.Equal(3 + Utf8("# café ☕\nFROM ").Length, site.ByteOffset);
            Assert.Equal("alpine:3.20".Length, site.ByteLength);
            Assert.Equal(withBom, file.Encode());
        }

        [Fact]
        public void NonUtf8FileIsRefused()
        {
            Assert.Throws<System.IO.InvalidDataException>(() => PinFileText.Decode(new byte[] { 0x46, 0x52, 0xFF, 0x0A }));
        }

        private static string[] Rows(string text)
            => PinFileFormats.Find(PinFileFormat.Dockerfile, new PinFileText(text))
                .Select(s => $"{s.Kind}|{s.Text}|{s.Reference}|{s.Platform}|{s.Context}|{s.SkipReason}").ToArray();

        [Fact]
        public void GlobalArgsQuotedRedeclaredAndAfterTheFirstFrom()
        {
            Assert.Equal(new[]
            {
                "DockerfileFrom|$A:$B|a:b|||",
                "DockerfileFrom|$A:${LATE}|||FROM (stage 1)|the variable LATE has no default in the file",
                "DockerfileFrom|$BUILDOS/x:1|||FROM (stage 2)|the reference uses $BUILDOS, which only the build defines",
            }, Rows("ARG A='a' B=\"b\"\nARG A\nARG C=${A}c\nFROM $A:$B\nARG LATE=1\nFROM $A:${LATE}\nFROM $BUILDOS/x:1\n")
                .Select(r => r.Replace("|FROM (stage 0)|", "||")));
        }

        // BuildKit's pattern forms (${V%.*}, ${V#x}, ${V/a/b}) are not expanded here: the reason says so, not that V lacks a default.
        [Fact]
        public void ASubstitutionFormNotExpandedIsNamedAsSuch()
        {
            Assert.Equal(new[] { "DockerfileFrom|img:${V%.*}|||FROM (stage 0)|the reference uses ${V%.*}, a substitution that is not expanded here" },
                Rows("ARG V=1.2.3\nFROM img:${V%.*}\n"));
        }

        [Fact]
        public void FlagsOfCopyAndRunAndTheirStages()
        {
            const string text =
                "FROM --platform=linux/arm64 base:1 as Build\n" +
                "COPY --chown=1:1 --link --from=img:1 /a /b\n" +
                "COPY /a --from=not/a:flag /b\n" +
                "COPY --from=build /x /y\n" +
                "COPY --FROM=0 /x /y\n" +
                "RUN --network=none --mount=type=bind,FROM=mnt:1,target=/m --mount=type=cache,target=/c echo\n" +
                "RUN --mount=from=first:1 echo\n" +
                "ADD --from=add:1 /a /b\n" +
                "FROM --platform=$BUILDPLATFORM BUILD\n" +
                "FROM --platform=linux/amd64\n" +
                "COPY --from=late:1 /a /b\n" +
                "COPY --from= /a /b\n" +
                "RUN --network=none\n" +
                "FROM --network=host plain:1 AS \n";
            Assert.Equal(new[]
            {
                "DockerfileFrom|base:1|base:1|linux/arm64|FROM (stage Build)|",
                "DockerfileCopyFrom|img:1|img:1|linux/arm64|COPY --from in FROM (stage Build)|",
                "DockerfileMountFrom|mnt:1|mnt:1|linux/arm64|RUN --mount from in FROM (stage Build)|",
                "DockerfileMountFrom|first:1|first:1|linux/arm64|RUN --mount from in FROM (stage Build)|",
                "DockerfileCopyFrom|late:1|late:1||COPY --from in FROM (stage 1)|",
                "DockerfileFrom|plain:1|plain:1||FROM (stage 2)|",
            }, Rows(text));
        }

        [Fact]
        public void DirectivesOnlyOpenTheFile()
        {
            // A comment without '=' ends the directives: the escape below it is a plain comment, '\\' still continues.
            Assert.Equal(new[] { "a:1" }, PinFileFormats.Find(PinFileFormat.Dockerfile, new PinFileText("# hello\n# escape=`\nFROM \\\n a:1\n")).Select(s => s.Text));
            Assert.Equal(new[] { "a:1" }, PinFileFormats.Find(PinFileFormat.Dockerfile, new PinFileText("# syntax = docker/dockerfile:1\n#ESCAPE= `  \nFROM ` \t\n a:1\n")).Select(s => s.Text));
            Assert.Equal(new[] { "`", "a:1" }, PinFileFormats.Find(PinFileFormat.Dockerfile, new PinFileText("# escape=x\nFROM `\n a:1\nFROM a:1\n")).Select(s => s.Text));
            Assert.Equal(new[] { "`", "a:1" }, PinFileFormats.Find(PinFileFormat.Dockerfile, new PinFileText("# not a directive=`\nFROM `\n a:1\nFROM a:1\n")).Select(s => s.Text));
            Assert.Equal(new[] { "`", "a:1" }, PinFileFormats.Find(PinFileFormat.Dockerfile, new PinFileText("#=`\nFROM `\n a:1\nFROM a:1\n")).Select(s => s.Text));
        }

        [Theory]
        [InlineData("#=x\n# escape=`\nFROM `\n a:1\n", "`")]             // a line that is no directive ends them
        [InlineData("# a b=x\n# escape=`\nFROM `\n a:1\n", "`")]
        [InlineData("# check=`\nFROM `\n a:1\n", "`")]                   // only "escape" sets the escape
        [InlineData("# author=me\n# escape=`\nFROM `\n a:1\n", "`")]   // BuildKit knows syntax, escape and check only
        [InlineData("# escape=\n# escape=`\nFROM `\n a:1\n", "`")]      // a directive has a value
        [InlineData("# escape=x\nFROM x\n a:1\n", "x")]                   // and only to ` or \
        [InlineData("# escape=\nFROM a:1\n", "a:1")]
        [InlineData("ARG\tV=x\nFROM img$V:1\n", "imgx:1")]                // an instruction is no directive
        [InlineData("# escape=`\n", null)]
        public void DirectiveEdges(string text, string firstReference)
        {
            Assert.Equal(firstReference, PinFileFormats.Find(PinFileFormat.Dockerfile, new PinFileText(text)).Select(s => s.Reference ?? s.Text).FirstOrDefault());
        }

        [Fact]
        public void HeredocWordsQuotedOrNotAndWhatIsNoHeredoc()
        {
            const string text =
                "RUN <<'A' cat\nFROM in/a:1\nA\n" +
                "ADD <<B /x\nFROM in/b:1\nB\n" +
                "RUN echo \"<<\"\nFROM after/quotes:1\n" +
                "RUN cat <<\"C\nFROM after/unclosed:1\n" +
                "LABEL x=<<D\nFROM after/label:1\n" +
                "RUN <<E_1\nFROM in/e:1\n E_1\nE_1\n" +
                "RUN <<F\n\tF\nFROM in/f:1\nF\n" +
                "RUN echo $((1 << 2))\nFROM after/shift:1\n" +
                "RUN cat <<-\nFROM after/dash:1\n" +
                "RUN cat <<\nFROM after/end:1\n" +
                "FROM last:1\n";
            Assert.Equal(new[] { "after/quotes:1", "after/unclosed:1", "after/label:1", "after/shift:1", "after/dash:1", "after/end:1", "last:1" },
                PinFileFormats.Find(PinFileFormat.Dockerfile, new PinFileText(text)).Select(s => s.Text));
        }

        // BuildKit takes a heredoc's word as the whole shell word after "<<" (quotes removed), only from a word that
        // starts with "<<" (or a file descriptor), and never in the JSON form: anything else would hide the FROM after it.
        [Theory]
        [InlineData("RUN <<END-OF-SCRIPT bash\nFROM in/a:1\nEND-OF-SCRIPT\n")]
        [InlineData("RUN <<'EOT.sh' bash\nFROM in/a:1\nEOT.sh\n")]
        [InlineData("RUN cat <<EOF>out.txt\nFROM in/a:1\nEOF>out.txt\n")]
        [InlineData("RUN cat 3<<-\"A B\"\n\tFROM in/a:1\n\tA B\n")]
        [InlineData("RUN echo \"<<EOF\"\n")]
        [InlineData("RUN echo '<<EOF' x<<EOF\n")]
        [InlineData("RUN echo \\<<EOF\n")]
        [InlineData("RUN [\"sh\", \"-c\", \"cat <<EOF\"]\n")]
        [InlineData("RUN --mount=type=cache,target=/c [\"cat\", \"<<EOF\"]\n")]
        [InlineData("RUN cat << EOF\n")]
        [InlineData("ONBUILD RUN <<EOF\nFROM in/a:1\nEOF\n")]
        [InlineData("ONBUILD  RUN\t <<EOF\nFROM in/a:1\nEOF\n")]
        [InlineData("RUN sleep 10 <<EOF\nFROM in/a:1\nEOF\n")]
        [InlineData("RUN cat 0<<EOF\nFROM in/a:1\nEOF\n")]
        [InlineData("RUN cat 9<<EOF\nFROM in/a:1\nEOF\n")]
        [InlineData("RUN echo 'x\\' <<EOF\nFROM in/a:1\nEOF\n")]
        [InlineData("RUN cat <<'A'\"B\"\nFROM in/a:1\nAB\n")]
        [InlineData("RUN cat <<E\\OF\nFROM in/a:1\nEOF\n")]
        [InlineData("RUN cat <<E\\\"F\nFROM in/a:1\nE\"F\n")]
        [InlineData("RUN [ <<EOF ]\nFROM in/a:1\nEOF\n")]
        [InlineData("RUN echo \"a\\\"\" <<EOF\nFROM in/a:1\nEOF\n")]
        [InlineData("  RUN <<EOF\nFROM in/a:1\nEOF\n")]
        [InlineData("CMD cat <<EOF\n")]
        [InlineData("ENTRYPOINT [\"cat\"] <<EOF\n")]
        [InlineData("RUN cat <<<word\n")]
        [InlineData("RUN cat \\ <<EOF\n")]
        [InlineData("RUN echo \"x\\\" <<EOF\"\n")]
        [InlineData("RUN --mount=type=cache,target=/c cat \"<<EOF\"\n")]
        public void HeredocWordsAreWholeShellWords(string middle)
        {
            Assert.Equal(new[] { "a:1", "last:1" },
                PinFileFormats.Find(PinFileFormat.Dockerfile, new PinFileText("FROM a:1\n" + middle + "FROM last:1\n")).Select(s => s.Text));
        }

        // The heredoc word is read by a shell lexer whose escape is always the backslash, also under "# escape=`", where a
        // backslash at the end of a line is no continuation: the word's last character.
        [Fact]
        public void ABackslashEndingAnInstructionUnderTheBacktickEscapeIsPartOfItsLastWord()
        {
            const string text = "# escape=`\nFROM a:1\nRUN cat <<EOF \\\nFROM in/b:1\nEOF\nFROM c:1\n";
            Assert.Equal(new[] { "a:1", "c:1" }, PinFileFormats.Find(PinFileFormat.Dockerfile, new PinFileText(text)).Select(s => s.Text));
        }

        // The same backslash ending a heredoc word is dropped from the terminator (the lexer's escape with nothing after
        // it), and ending a quote left open it opens nothing.
        [Theory]
        [InlineData("# escape=`\nFROM a:1\nRUN cat <<EOF\\\nFROM in/b:1\nEOF\nFROM c:1\n", "a:1", "c:1")]
        [InlineData("# escape=`\nFROM a:1\nRUN cat <<EOF \"x\\\nFROM b:1\n", "a:1", "b:1")]
        public void ABackslashEndingAHeredocLineUnderTheBacktickEscape(string text, string first, string second)
        {
            Assert.Equal(new[] { first, second }, PinFileFormats.Find(PinFileFormat.Dockerfile, new PinFileText(text)).Select(s => s.Text));
        }

        // An escape character that is itself escaped ends the line: "RUN echo \\\\" does not continue (BuildKit's rule).
        [Theory]
        [InlineData("RUN echo \\\\\nFROM b:1\n", "b:1")]
        [InlineData("# escape=`\nRUN echo ``  \nFROM b:1\n", "b:1")]
        public void AnEscapedEscapeDoesNotContinueTheLine(string text, string reference)
        {
            Assert.Equal(new[] { reference }, PinFileFormats.Find(PinFileFormat.Dockerfile, new PinFileText(text)).Select(s => s.Text));
        }

        [Fact]
        public void AnUnfinishedContinuationAtTheEndIsStillAnInstruction()
        {
            Assert.Equal(new[] { "a:1" }, PinFileFormats.Find(PinFileFormat.Dockerfile, new PinFileText("FROM a:1 \\")).Select(s => s.Text));
            Assert.Equal(new[] { "b:1" }, PinFileFormats.Find(PinFileFormat.Dockerfile, new PinFileText("\n\n  \nFROM b:1")).Select(s => s.Text));
            Assert.Equal(new[] { "c:1" }, PinFileFormats.Find(PinFileFormat.Dockerfile, new PinFileText("FROM c:1\n\\")).Select(s => s.Text));
            Assert.Equal(new[] { "d:1" }, PinFileFormats.Find(PinFileFormat.Dockerfile, new PinFileText("FROM \\\n\\\n d:1\n")).Select(s => s.Text));
        }

        [Theory]
        [InlineData("Dockerfile", PinFileFormat.Dockerfile)]
        [InlineData("Containerfile", PinFileFormat.Dockerfile)]
        [InlineData("api.Dockerfile", PinFileFormat.Dockerfile)]
        [InlineData("Dockerfile.prod", PinFileFormat.Dockerfile)]
        [InlineData("compose.yaml", PinFileFormat.Yaml)]
        [InlineData("deploy.YML", PinFileFormat.Yaml)]
        [InlineData("README.md", PinFileFormat.None)]
        [InlineData("MyDockerfile", PinFileFormat.None)]
        [InlineData("Dockerfile_notes.txt", PinFileFormat.None)]
        public void FormatFollowsTheFileName(string name, PinFileFormat format)
        {
            Assert.Equal(format, PinFileFormats.Of("/repo/sub/" + name));
        }
    }
}
