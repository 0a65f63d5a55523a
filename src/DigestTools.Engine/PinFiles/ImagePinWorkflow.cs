using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DigestTools.Engine.Errors;
using DigestTools.Engine.Pinning;
using DigestTools.Engine.References;
using DigestTools.Engine.Registry;
using DigestTools.Engine.Workflow;
using YamlDotNet.Core;

namespace DigestTools.Engine.PinFiles
{
    /// <summary>
    /// Pins in files: reads every file, finds its references, asks the registry once per distinct reference
    /// and platform (the bounded concurrent <see cref="DigestResolver"/>), and decides each reference's fate:
    /// Update plans the new text (Apply writes it), Check reports a Status. No PowerShell here.
    /// </summary>
    public sealed class ImagePinWorkflow
    {
        private readonly DigestResolver _resolver;
        private readonly IWorkflowLog _log;

        public ImagePinWorkflow(DigestResolver resolver, IWorkflowLog log)
        {
            _resolver = resolver;
            _log = log;
        }

        /// <summary>Plans Update-ImagePin: each finding gets an Action and, when it changes, its NewText.</summary>
        public async Task<List<PinFileResult>> PlanUpdateAsync(IEnumerable<(string Path, PinFileFormat Format)> files, bool refresh, CancellationToken cancellationToken)
        {
            List<PinFileResult> results = ReadAll(files);
            var asked = new List<(ImagePinFinding Finding, Task<ManifestResolution> Tag)>();
            foreach (ImagePinFinding finding in Pinnable(results))
            {
                if (finding.Parsed.Digest != null && finding.Parsed.Tag == null)
                    finding.Skip("pinned by digest alone: there is no tag to refresh it from");
                else
                    asked.Add((finding, _resolver.Resolve(TagOf(finding.Parsed), finding.Site.Platform, cancellationToken)));
            }
            await WhenSettled(asked.Select(a => a.Tag)).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            foreach (var (finding, tag) in asked)
                if (Settle(finding, tag, out ManifestResolution current)) DecideUpdate(finding, current.Digest, current.PlatformDigest, refresh);
            return results;
        }

        /// <summary>Runs Test-ImagePin: each finding gets a Status.</summary>
        public async Task<List<PinFileResult>> CheckAsync(IEnumerable<(string Path, PinFileFormat Format)> files, CancellationToken cancellationToken)
        {
            List<PinFileResult> results = ReadAll(files);
            var asked = new List<(ImagePinFinding Finding, Task<ManifestResolution> Pin, Task<ManifestResolution> Tag)>();
            foreach (ImagePinFinding finding in Pinnable(results))
            {
                ParsedReference parsed = finding.Parsed;
                finding.Digest = parsed.Digest;
                if (parsed.Digest == null)
                {
                    finding.Status = ImagePinStatus.Unpinned;
                    continue;
                }
                string platform = finding.Site.Platform;
                asked.Add((finding, _resolver.Resolve(parsed.WithoutTag(), platform, cancellationToken),
                    parsed.Tag == null ? null : _resolver.Resolve(TagOf(parsed), platform, cancellationToken)));
            }
            await WhenSettled(asked.SelectMany(a => new[] { a.Pin, a.Tag })).ConfigureAwait(false);

            // A platform named by the file: its child manifest must exist too, not only the index naming it.
            var children = new List<(ImagePinFinding Finding, Task<ManifestResolution> Child)>();
            foreach (var (finding, pin, tag) in asked)
            {
                if (!SettlePin(finding, pin)) continue;
                ManifestResolution resolved = pin.Result;
                if (finding.Site.Platform != null && resolved.PlatformDigest != null && resolved.PlatformDigest != resolved.Digest)
                    children.Add((finding, _resolver.Resolve(finding.Parsed.WithoutTag().WithDigest(resolved.PlatformDigest), null, cancellationToken)));
                if (tag == null) finding.Status = ImagePinStatus.Pinned;
                else if (Settle(finding, tag, out ManifestResolution current))
                {
                    finding.CurrentDigest = current.Digest;
                    bool same = current.Digest == finding.Digest || current.PlatformDigest == finding.Digest;
                    finding.Status = same ? ImagePinStatus.Pinned : ImagePinStatus.TagMoved;
                    if (!same) finding.Reason = $"{finding.Parsed.Name}:{finding.Parsed.Tag} now names {current.Digest}";
                }
            }
            await WhenSettled(children.Select(c => c.Child)).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            foreach (var (finding, child) in children) SettlePin(finding, child);
            return results;
        }

        /// <summary>
        /// Writes the planned changes that <paramref name="approved"/> accepts. The file must still hold the bytes
        /// it was planned from; only the references' characters change.
        /// </summary>
        public void Apply(PinFileResult file, IEnumerable<ImagePinFinding> approved)
        {
            var changes = approved.Select(f => (f.Site, f.NewText)).ToList();
            if (changes.Count == 0) return;
            try
            {
                byte[] now = File.ReadAllBytes(file.Path);
                if (!now.SequenceEqual(file.Original))
                    throw new FailureException(ErrorCatalog.PinFileChanged, $"{file.Path} changed while its references were resolved; run the command again.");
                string text = PinFileRewriter.Rewrite(file.Text.Text, changes);
                File.WriteAllBytes(file.Path, new PinFileText(text, file.Text.HasByteOrderMark).Encode());
                if (_log.VerboseEnabled) _log.Verbose($"{file.Path}: {changes.Count} reference(s) pinned.");
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                throw new FailureException(ErrorCatalog.PinFileWriteFailed, $"Cannot write {file.Path}: {e.Message}", e);
            }
        }

        // One .env cache per call: the files of a folder share its .env, read once if a Compose document needs it.
        private List<PinFileResult> ReadAll(IEnumerable<(string Path, PinFileFormat Format)> files)
        {
            var envFiles = new ComposeEnvFolders();
            return files.Select(f => Read(f.Path, f.Format, envFiles)).ToList();
        }

        private PinFileResult Read(string path, PinFileFormat format, ComposeEnvFolders envFiles)
        {
            byte[] bytes;
            PinFileText text;
            try
            {
                bytes = File.ReadAllBytes(path);
                text = PinFileText.Decode(bytes);
            }
            // InvalidDataException (not UTF-8) is no IOException: without it here, one such file ended the whole command.
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException || e is InvalidDataException)
            {
                return new PinFileResult(path, new FailureException(ErrorCatalog.PinFileUnreadable, $"Cannot read {path}: {e.Message}", e));
            }
            List<ImageSite> sites;
            try
            {
                // A Compose document interpolates from its folder's .env, as `docker compose` does there.
                sites = PinFileFormats.Find(format, text, envFiles.For(path));
            }
            catch (YamlException e)
            {
                string template = YamlNodes.HasTemplateExpression(text.Text)
                    ? " It holds template expressions ({{ }}): pin the values it is rendered from, or its rendered output." : string.Empty;
                return new PinFileResult(path, new FailureException(ErrorCatalog.PinFileInvalid,
                    $"{path} is not valid YAML (line {e.Start.Line}, column {e.Start.Column}): {e.Message}{template}", e));
            }
            catch (FailureException e)
            {
                return new PinFileResult(path, e);   // its .env is unreadable
            }
            if (_log.VerboseEnabled) _log.Verbose($"{path}: {sites.Count} image reference(s) found ({format}).");
            return new PinFileResult(path, bytes, text, sites.Select(s => new ImagePinFinding(path, s)).ToList());
        }

        // The findings worth asking the registry about; the others are settled here with their reason.
        private static IEnumerable<ImagePinFinding> Pinnable(IEnumerable<PinFileResult> results)
        {
            foreach (ImagePinFinding finding in results.SelectMany(r => r.Findings))
            {
                if (finding.Site.SkipReason != null) { finding.Skip(finding.Site.SkipReason); continue; }
                if (!ParsedReference.TryParse(finding.Site.Reference, out ParsedReference parsed, out string error))
                {
                    finding.Skip(error);
                    continue;
                }
                finding.Parsed = parsed;
                yield return finding;
            }
        }

        private static void DecideUpdate(ImagePinFinding finding, string digest, string platformDigest, bool refresh)
        {
            ParsedReference parsed = finding.Parsed;
            finding.CurrentDigest = digest;
            finding.PinnedReference = $"{parsed.Name}:{parsed.TagOrLatest}@{digest}";
            bool current = parsed.Digest == digest || (parsed.Digest != null && parsed.Digest == platformDigest);
            if (current || (parsed.Digest != null && !refresh))
            {
                // The file keeps its pin: that is the reference to pull.
                finding.Digest = parsed.Digest;
                finding.PinnedReference = $"{parsed.Name}:{parsed.TagOrLatest}@{parsed.Digest}";
                if (current) finding.Action = ImagePinAction.AlreadyCurrent;
                else finding.Skip($"the tag now names {digest}; -Refresh rewrites the pin");
                return;
            }
            string text = PinFileRewriter.PinnedText(finding.Site.Text, digest, parsed.Tag != null, parsed.Digest != null);
            if (text == null)
            {
                finding.Skip("the digest comes from a variable, so it cannot be rewritten here");
                return;
            }
            finding.Digest = digest;
            finding.NewText = text;
            finding.Action = parsed.Digest == null ? ImagePinAction.Pinned : ImagePinAction.Refreshed;
        }

        // A pin that does not resolve is PinMissing; any other failure leaves it Unresolvable with the error.
        private static bool SettlePin(ImagePinFinding finding, Task<ManifestResolution> pin)
        {
            if (pin.Status == TaskStatus.RanToCompletion) return true;
            FailureException failure = Failure(pin);
            if (IsMissing(failure))
            {
                finding.Status = ImagePinStatus.PinMissing;
                finding.Reason = failure.Message;
                finding.Error = null;
            }
            else
            {
                finding.Skip(failure.Message);
                finding.Error = failure;
            }
            return false;
        }

        private static bool Settle(ImagePinFinding finding, Task<ManifestResolution> task, out ManifestResolution resolution)
        {
            resolution = task.Status == TaskStatus.RanToCompletion ? task.Result : null;
            if (resolution != null) return true;
            FailureException failure = Failure(task);
            finding.Skip(failure.Message);
            finding.Error = failure;
            return false;
        }

        private static bool IsMissing(FailureException failure)
            => failure.Kind == ErrorCatalog.ManifestUnknown || failure.Kind == ErrorCatalog.NameUnknown || failure.Kind == ErrorCatalog.PlatformNotFound;

        private static FailureException Failure(Task task)
        {
            Exception e = task.Exception?.GetBaseException();
            if (e is FailureException failure) return failure;
            if (e == null || e is OperationCanceledException) return new FailureException(ErrorCatalog.OperationCanceled, "The operation was cancelled.", e);
            return new FailureException(ErrorCatalog.RegistryRequestFailed, e.Message, e);
        }

        // The tag a reference is resolved by ("latest" when it names none), without its digest.
        private static ParsedReference TagOf(ParsedReference parsed) => ParsedReference.Parse(parsed.Name + ":" + parsed.TagOrLatest);

        private static async Task WhenSettled(IEnumerable<Task> tasks)
        {
            Task[] all = tasks.Where(t => t != null).ToArray();
            try { await Task.WhenAll(all).ConfigureAwait(false); }
            catch { /* each task's failure is read where it belongs */ }
        }
    }
}
