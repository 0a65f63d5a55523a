using System;
using System.IO;
using System.Runtime.InteropServices;
using Xunit;

namespace DigestTools.Tests
{
    /// <summary>
    /// Which copy of the engine's assemblies PowerShell 7 loads: the one compiled ahead of time for this
    /// runtime's major version and platform when it is complete, else the netstandard2.0 folder.
    /// </summary>
    public sealed class DependencyFolderTests : IDisposable
    {
        private readonly string _folder;

        public DependencyFolderTests()
        {
            _folder = Path.Combine(Path.GetTempPath(), "dt-dependency-folder-" + Guid.NewGuid().ToString("n"), DependencyPaths.FolderName);
            Directory.CreateDirectory(_folder);
            File.WriteAllText(Path.Combine(_folder, "DigestTools.Engine.dll"), "netstandard2.0");
            foreach (string set in new[] { "net8.0-linux-x64", "net10.0-linux-x64", "net10.0-win-x64" })
            {
                Directory.CreateDirectory(Path.Combine(_folder, set));
                File.WriteAllText(Path.Combine(_folder, set, "DigestTools.Engine.dll"), set);
            }
            // Present but incomplete: no engine assembly in it.
            Directory.CreateDirectory(Path.Combine(_folder, "net9.0-linux-x64"));
            File.WriteAllText(Path.Combine(_folder, "net9.0-linux-x64", "Docker.DotNet.dll"), "half a copy");
        }

        public void Dispose() => Directory.Delete(Path.GetDirectoryName(_folder), recursive: true);

        [Theory]
        [InlineData(10, "linux-x64", "net10.0-linux-x64")]
        [InlineData(8, "linux-x64", "net8.0-linux-x64")]
        [InlineData(10, "win-x64", "net10.0-win-x64")]
        public void Takes_the_precompiled_copy_for_exactly_this_runtime_and_platform(int major, string platform, string expected)
            => Assert.Equal(Path.Combine(_folder, expected), DependencyFolder.Choose(_folder, major, platform));

        [Theory]
        [InlineData(11, "linux-x64")]   // newer runtime: it would refuse net10.0 code, the IL is the same
        [InlineData(6, "linux-x64")]    // PowerShell 7.2
        [InlineData(8, "win-x64")]      // no such copy shipped
        [InlineData(10, "osx-arm64")]
        [InlineData(10, null)]          // unknown platform
        [InlineData(9, "linux-x64")]    // folder present without DigestTools.Engine.dll
        public void Falls_back_to_the_netstandard_folder_otherwise(int major, string platform)
            => Assert.Equal(_folder, DependencyFolder.Choose(_folder, major, platform));

        [Fact]
        public void Names_this_platform_as_a_runtime_identifier()
        {
            // The tests run on the same runtime the module would: its own identifier names the same platform.
            string expected = RuntimeInformation.RuntimeIdentifier;
            Assert.Equal(expected, DependencyFolder.CurrentPlatform());
        }
    }
}
