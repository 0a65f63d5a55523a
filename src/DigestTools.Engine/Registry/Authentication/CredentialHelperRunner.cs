using System;
using System.ComponentModel;
using System.Diagnostics;
using System.Reflection;
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
            var startInfo = new ProcessStartInfo(program, "get")
            {
                UseShellExecute = false,
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                CreateNoWindow = true,
            };
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
                Task<string> stdout = process.StandardOutput.ReadToEndAsync();
                Task<string> stderr = process.StandardError.ReadToEndAsync();
                try
                {
                    process.StandardInput.Write(serverAddress);
                    process.StandardInput.Close();
                }
                catch (Exception e) when (e is System.IO.IOException || e is InvalidOperationException)
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
                    StopTree(process);
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

        private static Task ExitOf(Process process)
        {
            var exited = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            process.EnableRaisingEvents = true;
            process.Exited += (sender, e) => exited.TrySetResult(true);
            if (process.HasExited) exited.TrySetResult(true);
            return exited.Task;
        }

        // Process.Kill(entireProcessTree) exists from .NET Core 3.0 (PowerShell 7); netstandard2.0 cannot name it.
        private static readonly MethodInfo KillTree = typeof(Process).GetMethod("Kill", new[] { typeof(bool) });

        /// <summary>Ends the helper and its descendants (only the helper itself on Windows PowerShell 5.1).</summary>
        private static void StopTree(Process process)
        {
            try
            {
                if (KillTree != null) KillTree.Invoke(process, new object[] { true });
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
