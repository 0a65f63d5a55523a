using System;
using System.ComponentModel;
using System.Diagnostics;
using System.IO;
using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using DigestTools.Engine.Errors;

namespace DigestTools.Engine.Registry.Authentication
{
    /// <summary>
    /// Runs "docker-credential-&lt;name&gt; get" with the server URL on stdin and reads
    /// {ServerURL, Username, Secret} from stdout. Username "&lt;token&gt;" means Secret is an identity token.
    /// A helper that is missing, fails, prints garbage or does not finish in time is a clear error, never a hang;
    /// "credentials not found" means anonymous. One deadline covers the whole call; on timeout or stop the
    /// helper is ended together with the processes it started.
    /// </summary>
    internal sealed class CredentialHelperRunner
    {
        private const string IdentityTokenUsername = "<token>";
        private readonly TimeSpan _timeout;

        public CredentialHelperRunner(TimeSpan timeout) => _timeout = timeout;

        /// <exception cref="FailureException">RegistryCredentialHelperFailed, RegistryCredentialHelperTimeout,
        /// RegistryCredentialHelperStopped (the token was cancelled; the helper and its children are ended at once).</exception>
        public RegistryCredential Get(string helperName, string serverAddress, string configPath, CancellationToken cancellationToken = default)
        {
            if (string.IsNullOrWhiteSpace(helperName) || helperName.IndexOfAny(new[] { '/', '\\', ' ' }) >= 0 || helperName.Contains(".."))
            {
                throw Failed("'" + helperName + "' in " + configPath + " is not a valid credential helper name");
            }
            string program = "docker-credential-" + helperName;
            ProcessStartInfo startInfo = StartInfoFor(program);
            var marker = new HelperProcessMarker();
            marker.Apply(startInfo);

            Process process;
            try
            {
                process = Process.Start(startInfo);
            }
            catch (Win32Exception)
            {
                throw Failed(program + " (named in " + configPath + ") was not found on PATH");
            }

            using (process)
            using (var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                // One deadline for start, input, output and exit: a helper that exits but leaves a child
                // holding its stdout is bounded like one that never exits.
                deadline.CancelAfter(_timeout);
                Task exited = ExitOf(process);
                Action stopHelper = () => StopTree(process, KillTree);
                Task<string> stdout = ReadAtMostAsync(process.StandardOutput, stopHelper);
                Task<string> stderr = ReadAtMostAsync(process.StandardError, stopHelper);
                try
                {
                    process.StandardInput.Write(serverAddress);
                    process.StandardInput.Close();
                }
                catch (Exception e) when (e is IOException || e is InvalidOperationException)
                {
                    // The helper exited without reading stdin; its exit code tells the story below.
                }
                try
                {
                    Task.WhenAll(exited, stdout, stderr).Wait(deadline.Token);
                }
                catch (OperationCanceledException)
                {
                    bool helperExited = exited.IsCompleted;
                    StopTree(process, KillTree);
                    // What the tree no longer reaches: children the helper left behind when it exited.
                    int orphans = marker.EndAll();
                    string left = orphans > 0 ? "; " + orphans + " process(es) it had left running were ended too" : string.Empty;
                    if (cancellationToken.IsCancellationRequested)
                        throw new FailureException(ErrorCatalog.RegistryCredentialHelperStopped,
                            "Credential helper stopped: " + program + " get was ended (with what it started) because the call was stopped" + left + ".");
                    throw new FailureException(ErrorCatalog.RegistryCredentialHelperTimeout,
                        "Credential helper timed out: " + program + " get did not finish within " + _timeout.TotalSeconds + " s"
                        + (helperExited ? " (it exited, but a process it started still held its output)" : string.Empty)
                        + " and was stopped" + left + ".");
                }
                catch (AggregateException e)
                {
                    throw Failed(program + " get could not be read: " + e.GetBaseException().Message);
                }
                string output = stdout.Result;
                string errors = stderr.Result;

                if (process.ExitCode != 0)
                {
                    if (LooksLikeNotFound(output) || LooksLikeNotFound(errors)) return null;
                    throw Failed(program + " get exited with code " + process.ExitCode + FirstLine(errors));
                }
                return ParseAnswer(output, program);
            }
        }

        // No shell, all three streams ours, and no console window: Windows would otherwise flash one from a host without a console.
        internal static ProcessStartInfo StartInfoFor(string program)
            => new ProcessStartInfo(program, "get")
            {
                UseShellExecute = false,
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                CreateNoWindow = true,
            };

        /// <summary>A credential answer is a few hundred bytes; more than this is no answer.</summary>
        internal const int OutputLimit = 1024 * 1024;

        // A helper that prints without end is ended at the limit, not read into memory until its deadline;
        // the read then fails, which fails the wait below.
        private static async Task<string> ReadAtMostAsync(StreamReader reader, Action stopHelper)
        {
            var text = new StringBuilder();
            var buffer = new char[8192];
            int read;
            while ((read = await reader.ReadAsync(buffer, 0, buffer.Length).ConfigureAwait(false)) > 0)
            {
                text.Append(buffer, 0, read);
                if (text.Length > OutputLimit)
                {
                    stopHelper();
                    throw new InvalidDataException("it printed more than 1 MiB and was stopped");
                }
            }
            return text.ToString();
        }

        private static Task ExitOf(Process process)
        {
            var exited = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            process.EnableRaisingEvents = true;
            process.Exited += (sender, e) => exited.TrySetResult(true);
            if (process.HasExited) exited.TrySetResult(true);
            return exited.Task;
        }

        // Process.Kill(entireProcessTree) exists from .NET Core 3.0 (PowerShell 7); netstandard2.0 cannot name it.
        internal static readonly MethodInfo KillTree = typeof(Process).GetMethod("Kill", new[] { typeof(bool) });

        /// <summary>Ends the helper and its descendants (only the helper itself on Windows PowerShell 5.1, where
        /// <paramref name="killTree"/> is null; a parameter so that path is tested on any runtime).</summary>
        internal static void StopTree(Process process, MethodInfo killTree)
        {
            try
            {
                if (killTree != null) killTree.Invoke(process, new object[] { true });
                else if (!process.HasExited) process.Kill();
            }
            catch (Exception e) when (e is InvalidOperationException || e is Win32Exception || e is TargetInvocationException)
            {
                // Already gone.
            }
        }

        private static bool LooksLikeNotFound(string text)
            => text != null && text.IndexOf("credentials not found", StringComparison.OrdinalIgnoreCase) >= 0;

        private static RegistryCredential ParseAnswer(string output, string program)
        {
            string username = null, secret = null;
            try
            {
                using (var document = JsonDocument.Parse(output))
                {
                    var root = document.RootElement;
                    if (root.ValueKind == JsonValueKind.Object)
                    {
                        foreach (var property in root.EnumerateObject())
                        {
                            if (property.Value.ValueKind != JsonValueKind.String) continue;
                            if (string.Equals(property.Name, "Username", StringComparison.OrdinalIgnoreCase)) username = property.Value.GetString();
                            else if (string.Equals(property.Name, "Secret", StringComparison.OrdinalIgnoreCase)) secret = property.Value.GetString();
                        }
                    }
                }
            }
            catch (JsonException)
            {
                // Never echo the output: it is supposed to contain a secret.
                throw Failed(program + " get printed something that is not the expected JSON");
            }
            if (string.IsNullOrEmpty(secret)) return null;
            return username == IdentityTokenUsername
                ? new RegistryCredential(null, null, secret)
                : new RegistryCredential(username, secret);
        }

        // The first line of stderr explains most failures; trimmed so a chatty helper cannot flood the message.
        private static string FirstLine(string text)
        {
            if (string.IsNullOrWhiteSpace(text)) return string.Empty;
            string line = text.Trim().Split('\n')[0].Trim();
            if (line.Length > 200) line = line.Substring(0, 200) + "...";
            return ": " + line;
        }

        private static FailureException Failed(string message)
            => new FailureException(ErrorCatalog.RegistryCredentialHelperFailed, "Credential helper failed: " + message + ".");
    }
}
