using System;
using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;

namespace DigestTools
{
    /// <summary>-Environment and -Label hashtables as string maps (PowerShell converts each key and value).</summary>
    internal static class HashtableInput
    {
        internal static Dictionary<string, string> ToDictionary(Hashtable table)
        {
            var result = new Dictionary<string, string>(StringComparer.Ordinal);
            if (table == null) return result;
            foreach (DictionaryEntry entry in table)
                result[LanguagePrimitives.ConvertTo<string>(entry.Key)] = entry.Value == null ? string.Empty : LanguagePrimitives.ConvertTo<string>(entry.Value);
            return result;
        }
    }
}
