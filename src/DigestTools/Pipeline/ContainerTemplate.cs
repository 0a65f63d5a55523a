using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using DigestTools.Engine.Docker;

namespace DigestTools
{
    /// <summary>
    /// New-PinnedContainer's container parameters, parsed once into the spec every replica copies: bad
    /// values (InvalidMountSpec, InvalidPublishSpec, InvalidRestartPolicy) stop the cmdlet before anything is created.
    /// </summary>
    internal static class ContainerTemplate
    {
        internal static ContainerSpec From(NewPinnedContainerCommand c) => new ContainerSpec
        {
            Command = c.Command,
            Entrypoint = c.Entrypoint,
            Environment = HashtableInput.ToDictionary(c.Environment),
            Labels = HashtableInput.ToDictionary(c.Label),
            Volumes = c.Volume?.ToList() ?? new List<string>(),
            Mounts = (c.Mount ?? new string[0]).Select(MountSpec.Parse).ToList(),
            Network = NullIfEmpty(c.Network),
            Ports = (c.Publish ?? new string[0]).Select(PortSpec.Parse).ToList(),
            RestartPolicy = string.IsNullOrEmpty(c.RestartPolicy) ? null : RestartPolicySpec.Parse(c.RestartPolicy),
            User = NullIfEmpty(c.User),
            WorkingDirectory = NullIfEmpty(c.WorkingDirectory),
        };

        private static string NullIfEmpty(string s) => string.IsNullOrWhiteSpace(s) ? null : s;
    }
}
