package io.snapline.masking;

import java.util.HashSet;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The word lists the realistic fakes draw from, inlined into the masking SQL as constants. Every
 * word is ASCII letters only (a capital, then lower case, 2 to 10 letters), so it is safe in a SQL
 * literal and the fakes' lengths are bounded. The sizes are powers of two so that a byte of the
 * keyed hash indexes them without bias. Changing a list changes every fake: it is part of the
 * output format ({@code docs/masking.md}).
 */
final class WordLists {

    static final List<String> FIRST_NAMES = List.of(
            "James", "Mary", "John", "Patricia", "Robert", "Jennifer", "Michael", "Linda", "William", "Elizabeth",
            "David", "Barbara", "Richard", "Susan", "Joseph", "Jessica", "Thomas", "Sarah", "Charles", "Karen",
            "Daniel", "Nancy", "Matthew", "Lisa", "Anthony", "Betty", "Mark", "Margaret", "Donald", "Sandra",
            "Steven", "Ashley", "Paul", "Kimberly", "Andrew", "Emily", "Joshua", "Donna", "Kenneth", "Michelle",
            "Kevin", "Dorothy", "Brian", "Carol", "George", "Amanda", "Timothy", "Melissa", "Ronald", "Deborah",
            "Edward", "Stephanie", "Jason", "Rebecca", "Jeffrey", "Sharon", "Ryan", "Laura", "Jacob", "Cynthia",
            "Gary", "Kathleen", "Nicholas", "Amy", "Eric", "Angela", "Jonathan", "Shirley", "Stephen", "Anna",
            "Larry", "Brenda", "Justin", "Pamela", "Scott", "Emma", "Brandon", "Nicole", "Benjamin", "Helen",
            "Samuel", "Samantha", "Gregory", "Katherine", "Alexander", "Christine", "Frank", "Debra", "Patrick",
            "Rachel", "Raymond", "Carolyn", "Jack", "Janet", "Dennis", "Catherine", "Jerry", "Maria", "Tyler",
            "Heather", "Aaron", "Diane", "Jose", "Ruth", "Adam", "Julie", "Nathan", "Olivia", "Henry", "Joyce",
            "Douglas", "Virginia", "Zachary", "Victoria", "Peter", "Kelly", "Kyle", "Lauren", "Ethan", "Christina",
            "Walter", "Joan", "Noah", "Evelyn", "Jeremy", "Judith", "Christian", "Megan", "Keith", "Andrea", "Roger",
            "Cheryl", "Terry", "Hannah", "Gerald", "Jacqueline", "Harold", "Martha", "Sean", "Gloria", "Austin",
            "Teresa", "Carl", "Ann", "Arthur", "Sara", "Lawrence", "Madison", "Dylan", "Frances", "Jesse", "Kathryn",
            "Jordan", "Janice", "Bryan", "Jean", "Billy", "Abigail", "Joe", "Alice", "Bruce", "Judy", "Gabriel",
            "Sophia", "Logan", "Grace", "Albert", "Denise", "Willie", "Amber", "Alan", "Doris", "Juan", "Marilyn",
            "Wayne", "Danielle", "Elijah", "Beverly", "Randy", "Isabella", "Roy", "Theresa", "Vincent", "Diana",
            "Ralph", "Natalie", "Eugene", "Brittany", "Russell", "Charlotte", "Bobby", "Marie", "Mason", "Kayla",
            "Philip", "Alexis", "Louis", "Lori", "Harry", "Ingrid", "Oscar", "Yuki", "Amir", "Leila", "Mateo",
            "Sofia", "Lucas", "Chloe", "Liam", "Zoe", "Omar", "Aisha", "Ivan", "Nadia", "Kenji", "Mei", "Arjun",
            "Priya", "Diego", "Lucia", "Felix", "Clara", "Hugo", "Elena", "Tariq", "Fatima", "Sven", "Astrid",
            "Pablo", "Rosa", "Marco", "Giulia", "Tomas", "Ines", "Rafael", "Carmen", "Dmitri", "Olga", "Kwame",
            "Ama", "Chen", "Hana", "Ravi", "Anika", "Jonas", "Freya", "Emil", "Greta", "Lars", "Maja", "Nikolai",
            "Vera", "Andre", "Camille", "Luis", "Paula");

    static final List<String> LAST_NAMES = List.of(
            "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez", "Martinez",
            "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas", "Taylor", "Moore", "Jackson", "Martin",
            "Lee", "Perez", "Thompson", "White", "Harris", "Sanchez", "Clark", "Ramirez", "Lewis", "Robinson",
            "Walker", "Young", "Allen", "King", "Wright", "Scott", "Torres", "Nguyen", "Hill", "Flores", "Green",
            "Adams", "Nelson", "Baker", "Hall", "Rivera", "Campbell", "Mitchell", "Carter", "Roberts", "Gomez",
            "Phillips", "Evans", "Turner", "Diaz", "Parker", "Cruz", "Edwards", "Collins", "Reyes", "Stewart",
            "Morris", "Morales", "Murphy", "Cook", "Rogers", "Gutierrez", "Ortiz", "Morgan", "Cooper", "Peterson",
            "Bailey", "Reed", "Kelly", "Howard", "Ramos", "Kim", "Cox", "Ward", "Richardson", "Watson", "Brooks",
            "Chavez", "Wood", "James", "Bennett", "Gray", "Mendoza", "Ruiz", "Hughes", "Price", "Alvarez",
            "Castillo", "Sanders", "Patel", "Myers", "Long", "Ross", "Foster", "Jimenez", "Powell", "Jenkins",
            "Perry", "Russell", "Sullivan", "Bell", "Coleman", "Butler", "Henderson", "Barnes", "Gonzales", "Fisher",
            "Vasquez", "Simmons", "Romero", "Jordan", "Patterson", "Alexander", "Hamilton", "Graham", "Reynolds",
            "Griffin", "Wallace", "Moreno", "West", "Cole", "Hayes", "Bryant", "Herrera", "Gibson", "Ellis", "Tran",
            "Medina", "Aguilar", "Stevens", "Murray", "Ford", "Castro", "Marshall", "Owens", "Harrison", "Fernandez",
            "Mcdonald", "Woods", "Washington", "Kennedy", "Wells", "Vargas", "Henry", "Chen", "Freeman", "Webb",
            "Tucker", "Guzman", "Burns", "Crawford", "Olson", "Simpson", "Porter", "Hunter", "Gordon", "Mendez",
            "Silva", "Shaw", "Snyder", "Mason", "Dixon", "Munoz", "Hunt", "Hicks", "Holmes", "Palmer", "Wagner",
            "Black", "Robertson", "Boyd", "Rose", "Stone", "Salazar", "Fox", "Warren", "Mills", "Meyer", "Rice",
            "Schmidt", "Garza", "Daniels", "Ferguson", "Nichols", "Stephens", "Soto", "Weaver", "Ryan", "Gardner",
            "Payne", "Grant", "Dunn", "Kelley", "Spencer", "Hawkins", "Arnold", "Pierce", "Vazquez", "Hansen",
            "Peters", "Santos", "Hart", "Bradley", "Knight", "Elliott", "Cunningham", "Duncan", "Armstrong",
            "Hudson", "Carroll", "Lane", "Riley", "Andrews", "Alvarado", "Ray", "Delgado", "Berry", "Perkins",
            "Hoffman", "Johnston", "Matthews", "Pena", "Richards", "Contreras", "Willis", "Carpenter", "Lawrence",
            "Sandoval", "Guerrero", "George", "Chapman", "Rios", "Estrada", "Ortega", "Watkins", "Greene", "Nunez",
            "Wheeler", "Valdez", "Harper", "Burke", "Larson", "Santiago", "Maldonado", "Morrison", "Franklin",
            "Carlson", "Austin", "Dominguez", "Carr", "Lawson");

    static final List<String> STREETS = List.of(
            "Maple", "Oak", "Pine", "Cedar", "Elm", "Birch", "Willow", "Ash", "Spruce", "Walnut", "Cherry",
            "Chestnut", "Poplar", "Hickory", "Magnolia", "Laurel", "Juniper", "Sycamore", "Aspen", "Cypress",
            "Hawthorn", "Alder", "Linden", "Beech", "Holly", "Ivy", "Rose", "Lilac", "Daisy", "Violet", "Sunset",
            "Sunrise", "Hillside", "Lakeview", "Riverside", "Meadow", "Prairie", "Valley", "Highland", "Forest",
            "Park", "Church", "Mill", "School", "Station", "Market", "Bridge", "Spring", "Garden", "Orchard",
            "Harbor", "Bay", "Ocean", "Canyon", "Summit", "Ridge", "Glen", "Brook", "Grove", "Fairview", "Pleasant",
            "Franklin", "Lincoln", "Jefferson");

    static final List<String> STREET_SUFFIXES = List.of(
            "Street", "Avenue", "Road", "Lane", "Drive", "Court", "Way", "Place");

    static final List<String> CITIES = List.of(
            "Riverton", "Fairfield", "Greenville", "Bristol", "Clinton", "Georgetown", "Salem", "Madison",
            "Franklin", "Arlington", "Ashland", "Burlington", "Chester", "Dayton", "Dover", "Easton", "Florence",
            "Hudson", "Kingston", "Lexington", "Milford", "Newport", "Oakland", "Oxford", "Plymouth", "Richmond",
            "Shelby", "Trenton", "Union", "Vernon", "Warren", "Winchester", "Auburn", "Bedford", "Camden", "Dublin",
            "Eden", "Fulton", "Glendale", "Hamilton", "Jackson", "Lebanon", "Marion", "Monroe", "Newton", "Oakwood",
            "Portland", "Quincy", "Rockport", "Sheridan", "Troy", "Upton", "Vienna", "Waverly", "York", "Ashford",
            "Belmont", "Carlisle", "Denton", "Elkton", "Fremont", "Granby", "Hartford", "Irvine");

    private static final Pattern WORD = Pattern.compile("[A-Z][a-z]{1,9}");

    static {
        check(FIRST_NAMES, 256);
        check(LAST_NAMES, 256);
        check(STREETS, 64);
        check(STREET_SUFFIXES, 8);
        check(CITIES, 64);
    }

    private WordLists() {
    }

    private static void check(List<String> words, int size) {
        if (words.size() != size || new HashSet<>(words).size() != size
                || !words.stream().allMatch(w -> WORD.matcher(w).matches())) {
            throw new IllegalStateException("a masking word list must hold " + size + " distinct plain words");
        }
    }
}
