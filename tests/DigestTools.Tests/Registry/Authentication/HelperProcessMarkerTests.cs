using System;
using System.Diagnostics;
using DigestTools.Engine.Registry.Authentication;
using Xunit;

namespace DigestTools.Tests
{
    /// <summary>
    /// HelperProcessMarker on real processes: it ends exactly those whose environment carries this run's marker as an
    /// entry of its own, and no other (another run's marker, the marker inside another variable, no marker).
    /// </summary>
    public sealed class HelperProcessMarkerTests
    {
        private static Process Sleeper(Action<ProcessStartInfo> environment)
        {
            var startInfo = new ProcessStartInfo("sleep", "60") { UseShellExecute = false };
            environment(startInfo);
            return Process.Start(startInfo);
        }

        [Fact]
        public void EndsTheProcessesCarryingItsMarkerAndNoOther()
        {
            var marker = new HelperProcessMarker();
            var otherRun = new HelperProcessMarker();
            using (Process marked = Sleeper(marker.Apply))
            using (Process markedToo = Sleeper(marker.Apply))
            using (Process other = Sleeper(otherRun.Apply))
            using (Process unmarked = Sleeper(_ => { }))
            using (Process lookalike = Sleeper(s =>
            {
                marker.Apply(s);
                // The same text inside another variable's value is not the marker.
                s.Environment["DT_LOOKALIKE"] = HelperProcessMarker.Variable + "=" + s.Environment[HelperProcessMarker.Variable];
                s.Environment.Remove(HelperProcessMarker.Variable);
            }))
            {
                try
                {
                    Assert.Equal(2, marker.EndAll());
                    Assert.True(marked.WaitForExit(20000) && markedToo.WaitForExit(20000), "a marked process survived");
                    Assert.False(other.HasExited);
                    Assert.False(unmarked.HasExited);
                    Assert.False(lookalike.HasExited);
                    Assert.Equal(0, marker.EndAll());
                }
                finally
                {
                    foreach (Process p in new[] { marked, markedToo, other, unmarked, lookalike })
                        if (!p.HasExited) p.Kill();
                }
            }
        }
    }
}
