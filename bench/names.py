"""The names of the benchmark data set, in the two shapes a real contact book has, and the
name fragments the search cases ask for.

- **Repeating** (`repeating_name`): "first last" from short lists of common Indian and
  English names, so that a 1M app holds a few thousand distinct names, each many times
  ("Mike" is ~1 in 63 first names).
- **Varied** (`varied_name`): what a business's book looks like once people type into
  it: middle names, initials, trades ("Ravi Plumber"), numbered placeholders
  ("Customer 4432"), places and shop names, so that a 1M app holds several hundred
  thousand distinct names.

`fragments` draws what a user types into the search box: 2-5 characters cut from the
app's own folded names (a random contact's, so common names are drawn more often),
plus a share that matches nothing.
"""

from __future__ import annotations

import random

from contactd.domain.names import name_search_key

__all__ = [
    "COMPANIES",
    "DOMAINS",
    "FIRST",
    "INFOS",
    "JOBS",
    "LAST",
    "STATUSES",
    "TAGS",
    "fragments",
    "key_of",
    "repeating_name",
    "varied_name",
]

key_of = name_search_key
"""The key the search compares for a (first, last) name, folded as the store folds it."""


def _words(text: str) -> list[str]:
    return text.split()


# The order of every list is part of the data set: the seeded draws index into them.
FIRST = _words("""
    Mike Aarav Vivaan Aditya Vihaan Arjun Sai Reyansh Krishna Ishaan Rahul Amit Rohit
    Sanjay Vikram Suresh Ramesh Rajesh Anil Sunil Deepak Manoj Arun Kiran Ravi Gopal
    Priya Ananya Diya Aadhya Saanvi Pari Anika Sara Meera Asha Anita Sunita Kavita Pooja
    Neha Sneha Lakshmi Divya Swati Shreya Nisha Rekha Geeta Fatima Ayesha Imran Farhan
    John David Peter Mary Zoë Priyā Thomas Joseph Michelle Mohan
""")
LAST = _words("""
    Sharma Verma Gupta Singh Kumar Patel Shah Mehta Rao Reddy Nair Iyer Menon Pillai Das
    Bose Banerjee Chatterjee Mukherjee Ghosh Sen Joshi Kulkarni Deshpande Patil Jadhav
    Pawar Yadav Mishra Tiwari Pandey Dubey Khan Ahmed Sheikh Fernandes D'Souza Gomes
    Ross Chopra Malhotra Kapoor Bhatia Saxena Agarwal
""")
MORE_FIRST = _words("""
    Abhishek Ajay Akash Alok Aman Anand Ankit Anupam Ashok Balaji Bharat Chetan Dinesh
    Ganesh Girish Harish Hemant Jagdish Jayesh Kamal Karthik Lokesh Mahesh Mukesh Naveen
    Nitin Pankaj Prakash Pradeep Rakesh Sachin Santosh Satish Shankar Shyam Umesh Varun
    Vinod Yogesh Aarti Bhavna Chitra Deepa Gayatri Heena Jyoti Kajal Komal Madhuri Mamta
    Nandini Padma Radha Rani Rashmi Ritu Sapna Seema Shalini Shilpa Shobha Usha Vandana
    Zainab Salma Rukhsar Yusuf Irfan Salim Arif Anwar George Francis Maria Angela Steve
    Chinmay Dhruv Kabir Nikhil Parth Tanvi Riya Ishita Aditi Renée Zoya Siddhārth
""")
MORE_LAST = _words("""
    Agrawal Bajaj Bansal Chaudhary Chauhan Dixit Garg Goyal Jain Kaur Khanna Mathur
    Naidu Oberoi Rathore Sethi Shetty Sinha Srivastava Thakur Trivedi Upadhyay Vyas
    Bhatt Desai Gandhi Kamath Hegde Shenoy Prabhu Acharya Gowda Naik Rawat Negi Bisht
    Qureshi Siddiqui Ansari Mirza Pinto Rodrigues Pereira Almeida Lobo Thomas Mathew
    Varghese Kurian Chacko Murugan Subramaniam Krishnan Venkatesh Raman Ramachandran
""")
MIDDLE = _words("""
    Kumar Prasad Lal Chandra Nath Devi Bai Rani Mohan Prakash Raj Kant Narayan Shankar
    Kishore Gopal Ram Krishna Dev Singh Rao Babu Bhai Ben Kumari Lata Mani Moorthy
""")
TRADES = _words("""
    Plumber Electrician Carpenter Driver Tailor Painter Mechanic Cook Maid Gardener
    Tutor Doctor Dentist Chemist Grocer Milkman Courier Landlord Broker Accountant
    Lawyer Cab Security Watchman Barber Beautician Photographer Caterer Vendor Supplier
""")
PLACES = _words("""
    Pune Mumbai Delhi Bangalore Chennai Hyderabad Kolkata Ahmedabad Jaipur Lucknow
    Indore Nagpur Surat Kochi Noida Gurgaon Thane Vashi Andheri Whitefield Office Home
    Site Shop Warehouse Branch HQ Old New Work
""")
PLACEHOLDERS = _words("""
    Customer Lead Client Caller Vendor Patient Student Unknown Prospect Enquiry Guest
    Member Order Ticket
""")
SHOPS = _words("""
    Traders Enterprises Stores Motors Agencies Medicals Textiles Jewellers Sweets
    Electronics Hardware Builders Transport Caterers Clinic Hospital Associates Bakery
""")
DOMAINS = ("gmail.com", "yahoo.co.in", "outlook.com", "rediffmail.com", "example.in")
COMPANIES = (
    "",
    "",
    "Tata Consultancy Services",
    "Infosys",
    "Wipro",
    "HCL Technologies",
    "Reliance Retail",
    "HDFC Bank",
    "ICICI Bank",
    "Bharti Airtel",
    "Flipkart",
    "Zomato",
    "Mahindra & Mahindra",
    "Larsen & Toubro",
    "Asian Paints",
    "Sharma Traders",
    "Sai Enterprises",
)
JOBS = ("", "", "Manager", "Engineer", "Accountant", "Owner", "Sales Executive", "Director")
TAGS = ("", "callback", "lead", "customer", "vip", "follow-up")
STATUSES = ("", "open", "close", "pending", "won", "lost")
INFOS = ("", "", "", "prefers Hindi", "call after 6 pm", "interested in the annual plan")

_ANY_FIRST = FIRST + MORE_FIRST
_ANY_LAST = LAST + MORE_LAST
_INITIALS = "ABCDEGHJKLMNPRSTUVY"
# Letters rare in these names: fragments of them are the searches that find nothing.
_RARE = "qxzjwf"


def repeating_name(rng: random.Random) -> tuple[str, str]:
    """(first name, last name) of the repeating shape."""
    return rng.choice(FIRST), rng.choice(LAST)


def varied_name(rng: random.Random) -> tuple[str, str]:
    """(first name, last name) of the varied shape: the first word, then the rest, as a
    v1 client's `name` is stored (`domain.names.split_name`)."""
    r = rng.random()
    first = rng.choice(_ANY_FIRST)
    if r < 0.40:  # "Ravi Kumar Sharma"
        return first, f"{rng.choice(MIDDLE + _ANY_FIRST)} {rng.choice(_ANY_LAST)}"
    if r < 0.55:  # "Ravi Sharma"
        return first, rng.choice(_ANY_LAST)
    if r < 0.63:  # "Ravi Plumber"
        return first, rng.choice(TRADES)
    if r < 0.78:  # "Customer 4432"
        return rng.choice(PLACEHOLDERS), str(rng.randrange(1, 100_000))
    if r < 0.88:  # "R. K. Sharma"
        return f"{rng.choice(_INITIALS)}.", f"{rng.choice(_INITIALS)}. {rng.choice(_ANY_LAST)}"
    if r < 0.95:  # "Ravi Sharma Pune"
        return first, f"{rng.choice(_ANY_LAST)} {rng.choice(PLACES)}"
    return rng.choice(_ANY_LAST), rng.choice(SHOPS)  # "Sharma Traders"


def fragments(keys: list[str], count: int, *, none: int, seed: int) -> list[str]:
    """`count` distinct fragments of the folded names `keys` (2-5 characters, neither
    starting nor ending with a space), then `none` distinct ones that no key contains,
    shuffled together. Fewer when the names hold fewer distinct fragments."""
    rng = random.Random(seed)
    found: dict[str, None] = {}
    for _ in range(count * 50):
        if len(found) >= count:
            break
        key = keys[rng.randrange(len(keys))]
        size = rng.randint(2, 5)
        if len(key) < size:
            continue
        at = rng.randrange(len(key) - size + 1)
        fragment = key[at : at + size]
        if fragment.strip() == fragment:
            found[fragment] = None
    everything = "\n".join(set(keys))
    missing: dict[str, None] = {}
    while len(missing) < none:
        fragment = "".join(rng.choice(_RARE) for _ in range(rng.randint(3, 5)))
        if fragment not in everything:
            missing[fragment] = None
    out = list(found) + list(missing)
    rng.shuffle(out)
    return out
